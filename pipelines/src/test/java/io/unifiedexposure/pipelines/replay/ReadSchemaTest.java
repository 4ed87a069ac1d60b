package io.unifiedexposure.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive reader's read schema: the file's own, with strings read as {@link String} (dictionary
 * columns and plain ones, required and nullable), whether the file carries the Avro schema it was
 * written with (ours) or only its columns (pyarrow, DuckDB, Spark with its INT96 timestamps).
 */
class ReadSchemaTest {
  @TempDir Path dir;

  private static Configuration conf() {
    Configuration conf = new Configuration(false);
    conf.setBoolean("parquet.avro.readInt96AsFixed", true);
    return conf;
  }

  private static List<GenericRecord> read(InputFile file) throws IOException {
    Configuration conf = conf();
    AvroReadSupport.setAvroReadSchema(conf, ReadSchema.of(file, conf()));
    List<GenericRecord> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(file).withDataModel(GenericData.get()).withConf(conf).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        rows.add(r);
      }
    }
    return rows;
  }

  @Test
  void aFileWithOnlyItsColumnsReadsStringsAsStringsAndInt96AsFixed() throws IOException {
    MessageType columns =
        MessageTypeParser.parseMessageType(
            "message spark_schema { required binary event_id (UTF8); required binary merchant_id (UTF8);"
                + " optional binary corrects_event_id (UTF8); required int64 amount_minor;"
                + " required int96 event_time; }");
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir.resolve("spark.parquet").toUri());
    SimpleGroupFactory groups = new SimpleGroupFactory(columns);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(HadoopOutputFile.fromPath(path, new Configuration()))
            .withType(columns)
            .withDictionaryEncoding(true)
            .build()) {
      for (int i = 0; i < 3; i++) {
        Group g = groups.newGroup()
            .append("event_id", "e-" + i)
            .append("merchant_id", "m-1")
            .append("amount_minor", 100L + i)
            .append("event_time", Binary.fromConstantByteArray(new byte[12]));
        if (i == 2) {
          g.append("corrects_event_id", "e-0");
        }
        w.write(g);
      }
    }

    List<GenericRecord> rows = read(HadoopInputFile.fromPath(path, new Configuration()));
    assertEquals(3, rows.size());
    for (int i = 0; i < 3; i++) {
      GenericRecord r = rows.get(i);
      assertEquals("e-" + i, assertInstanceOf(String.class, r.get("event_id")));
      assertEquals("m-1", assertInstanceOf(String.class, r.get("merchant_id")));
      assertEquals(100L + i, r.get("amount_minor"));
      assertEquals(12, assertInstanceOf(GenericFixed.class, r.get("event_time")).bytes().length);
    }
    assertNull(rows.get(0).get("corrects_event_id"));
    assertEquals("e-0", assertInstanceOf(String.class, rows.get(2).get("corrects_event_id")));
  }

  @Test
  void ourArchiveKeepsItsSchemaAndReadsStringsAsStrings() throws IOException {
    Schema schema = ArchiveRecords.schema();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir.resolve("ours.parquet").toUri());
    ExposureEvent correction =
        ExposureEvent.builder()
            .setEventId("c-1")
            .setMerchantId("m-7")
            .setEventType(EventType.CORRECTION)
            .setAmountMinor(-5L)
            .setCurrency("EUR")
            .setEventTime(Instant.parse("2025-07-01T10:15:30.123Z"))
            .setCorrectsEventId("e-1")
            .setSchemaVersion(1)
            .build();
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(HadoopOutputFile.fromPath(path, new Configuration()))
            .withSchema(schema)
            .build()) {
      w.write(ArchiveRecords.toArchive(schema, correction, 42L, "kafka:payments/3@1042"));
    }

    GenericRecord r = read(HadoopInputFile.fromPath(path, new Configuration())).get(0);
    assertEquals(schema.getName(), r.getSchema().getName(), "the schema the file was written with");
    for (String column : List.of("event_id", "merchant_id", "event_type", "currency", "corrects_event_id", "source")) {
      assertInstanceOf(String.class, r.get(column), column);
    }
    assertEquals("CORRECTION", r.get("event_type"));
    assertEquals("e-1", r.get("corrects_event_id"));
    assertEquals(correction.eventTime().getMillis(), r.get("event_time"));
    assertEquals(42L, r.get(ArchiveRecords.RECEIVED_AT));
  }
}
