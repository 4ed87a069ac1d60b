package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.live.ParquetArchive;
import io.unifiedexposure.testing.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.joda.time.Duration;

/** Archives for replay specs: ours (through the live job's archive transform) and a foreign writer's. */
public final class ArchiveFixtures {
  private ArchiveFixtures() {}

  /** Raw records through the graph's valid output into our archive layout, as the live job does. */
  public static void writeOwnArchive(List<RawRecord> raw, Path archive) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(raw).withCoder(RawRecord.coder()))
        .apply("Exposure", ExposureGraph.create().withValidEventsOutput())
        .validEvents()
        .apply("Archive", new ParquetArchive(archive.toString(), Duration.standardSeconds(1), "spec"));
    p.run().waitUntilFinish();
  }

  /**
   * What pyarrow or Spark might write by the same contract: other column order, TIMESTAMP(MICROS),
   * an extra column, no received_at/source, small row groups; optionally one row with a bad currency.
   */
  static void writeForeignFile(List<Oracle.Copy> copies, Path file, boolean withBadRow) throws IOException {
    Files.createDirectories(file.getParent());
    Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    Schema schema = SchemaBuilder.record("spark_schema").fields()
        .requiredLong("amount_minor")
        .name("event_time").type(micros).noDefault()
        .requiredString("currency")
        .optionalString("note")
        .requiredString("merchant_id")
        .requiredString("event_type")
        .requiredString("event_id")
        .optionalString("corrects_event_id")
        .requiredInt("schema_version")
        .endRecord();
    try (ParquetWriter<GenericRecord> w = smallRowGroupWriter(file, schema)) {
      for (Oracle.Copy c : copies) {
        w.write(row(schema, c.event, c.event.currency()));
      }
      if (withBadRow) {
        w.write(row(schema, copies.get(0).event.toBuilder().setEventId("bad-ccy").build(), "eur"));
      }
    }
  }

  /** A plain parquet-avro writer of row groups of about 16 KB (many per file) and 1 KB pages. */
  static ParquetWriter<GenericRecord> smallRowGroupWriter(Path file, Schema schema) throws IOException {
    return AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
        .withSchema(schema)
        .withRowGroupSize(16 * 1024L)
        .withPageSize(1024)
        .withDictionaryEncoding(true)
        .build();
  }

  private static GenericRecord row(Schema schema, ExposureEvent e, String currency) {
    GenericData.Record r = new GenericData.Record(schema);
    r.put("amount_minor", e.amountMinor());
    r.put("event_time", e.eventTime().getMillis() * 1000L);
    r.put("currency", currency);
    r.put("note", "written by a foreign tool");
    r.put("merchant_id", e.merchantId());
    r.put("event_type", e.eventType().name());
    r.put("event_id", e.eventId());
    r.put("corrects_event_id", e.correctsEventId());
    r.put("schema_version", e.schemaVersion());
    return r;
  }
}
