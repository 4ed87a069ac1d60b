package io.unifiedexposure.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unifiedexposure.contract.EventContract;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.testing.HostileRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One typed-value rule on every path: the battery's records written as Parquet rows get the verdict
 * their JSON gets live, and typed columns JSON cannot express (DECIMAL, TIMESTAMP(NANOS), binary,
 * structs) map to the contract exactly or are refused by name, never read as other money.
 */
class HostileArchiveSpec {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /**
   * Every battery record that is one JSON object of contract fields becomes a Parquet file whose
   * column types are its JSON value types (text: string, whole number: long, fraction: double,
   * boolean, null, object: struct, array: list). The replay refuses each for exactly the reasons
   * the live path gives its JSON, and counts the valid ones.
   */
  @Test
  void parquetRowsGetTheVerdictTheirJsonGets() throws Exception {
    Path archive = dir.resolve("archive");
    Map<String, String> expected = new TreeMap<>();
    int valid = 0;
    List<HostileRecords.Case> cases = HostileRecords.all();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode json = tabular(cases.get(i));
      if (json == null) {
        continue;
      }
      String file = String.format("case-%03d.parquet", i);
      writeRow(archive.resolve(file), json);
      if (cases.get(i).valid()) {
        valid++;
      } else {
        expected.put(file, cases.get(i).codes);
      }
    }
    assertTrue(expected.size() >= 30, "most of the battery is tabular: " + expected.size());

    Path out = dir.resolve("out");
    Map<String, String> refused = replayRefusals(archive, out);
    assertEquals(expected, refused);
    Map<String, Long> c = ReplayManifest.read(out.toString()).counters;
    assertEquals(valid, c.get("facts_counted"));
    assertEquals(c.get("records_in"), c.get("facts_counted") + c.getOrDefault("duplicates_dropped", 0L) + c.get("dead_letters"));
    String summary = ReplayManifest.read(out.toString()).summary();
    assertTrue(summary.contains(String.format("records in %,d: %,d facts counted", c.get("records_in"), valid))
        && summary.contains("dead letters by reason: ") && summary.contains("event_id.control_character 5")
        && summary.contains("windows written: "), summary);
  }

  /**
   * A DECIMAL(18,2) amount of 1500.00 is 1500 minor units (its unscaled 150000 would be a hundred
   * times the money); 1500.50 cannot be whole minor units and is refused; a TIMESTAMP(NANOS) event
   * time lands in its own day; a binary merchant_id is text when it is UTF-8 and refused when not;
   * a zone-less TIMESTAMP(NANOS) is refused like zone-less text.
   */
  @Test
  void typedColumnsMapExactlyOrAreRefusedByName() throws Exception {
    MessageType utcNanos = schema(true);
    Path archive = dir.resolve("typed");
    long nanos = 1_751_364_930_123_456_789L; // 2025-07-01T10:15:30.123456789Z
    try (ParquetWriter<Group> w = writer(archive.resolve("decimal-nanos.parquet"), utcNanos)) {
      SimpleGroupFactory rows = new SimpleGroupFactory(utcNanos);
      w.write(row(rows, "dec-whole", Binary.fromString("m1"), 150_000L, nanos));
      w.write(row(rows, "dec-fraction", Binary.fromString("m1"), 150_050L, nanos));
      w.write(row(rows, "bin-not-utf8", Binary.fromConstantByteArray(new byte[] {'m', (byte) 0xC3, (byte) 0x28}),
          100L, nanos));
    }
    MessageType localNanos = schema(false);
    try (ParquetWriter<Group> w = writer(archive.resolve("local-nanos.parquet"), localNanos)) {
      w.write(row(new SimpleGroupFactory(localNanos), "local-time", Binary.fromString("m1"), 100L, nanos));
    }
    Path out = dir.resolve("typed-out");
    Map<String, String> refused = replayRefusals(archive, out);
    assertEquals(Map.of(
        "decimal-nanos.parquet#1", "amount_minor.wrong_type",
        "decimal-nanos.parquet#2", "merchant_id.invalid_utf8",
        "local-nanos.parquet#0", "event_time.bad_format"), refused);
    List<ProjectionRow> rows = new ArrayList<>();
    ReadBack.parquetRows(out.resolve("projections")).forEach(r -> rows.add(ProjectionRecords.fromAvro(r)));
    assertEquals(1, rows.size(), rows.toString());
    assertEquals("m1", rows.get(0).merchantId());
    assertEquals(1500L, rows.get(0).exposureMinor(), "1500.00 at scale 2 is 1500 minor units");
    assertEquals("2025-07-01T00:00:00.000Z", rows.get(0).windowStart().toString(), "the nanos' own day");
  }

  /**
   * A file damaged in the middle (its footer intact): the rows before the damage count, the rest is
   * one dead letter naming the file and how many of its rows were read and lost, and the replay's
   * books count the lost rows: rows read + rows lost == rows the file holds.
   */
  @Test
  void aPartlyReadableFileReportsTheRowsItLost() throws Exception {
    Path archive = dir.resolve("damaged");
    Path file = archive.resolve("part-0.parquet");
    Schema schema = SchemaBuilder.record("row").fields()
        .requiredString("event_id").requiredString("merchant_id").requiredString("event_type")
        .requiredLong("amount_minor").requiredString("currency").requiredString("event_time")
        .requiredInt("schema_version").endRecord();
    int rows = 5_000;
    Files.createDirectories(archive);
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
        .withSchema(schema).withRowGroupSize(16 * 1024L).withPageSize(1024)
        .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (int i = 0; i < rows; i++) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("event_id", "e-" + i + "-" + Integer.toHexString(i * 7919));
        r.put("merchant_id", "m" + (i % 7));
        r.put("event_type", "CAPTURE");
        r.put("amount_minor", 100L + i);
        r.put("currency", "EUR");
        r.put("event_time", "2025-07-01T10:00:00Z");
        r.put("schema_version", 1);
        w.write(r);
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    Arrays.fill(bytes, bytes.length / 2, bytes.length / 2 + 4096, (byte) 0x5A);
    Files.write(file, bytes);

    Path out = dir.resolve("damaged-out");
    ReplayOptions o = PipelineOptionsFactory.fromArgs("--archive=" + archive, "--output=" + out)
        .withValidation().as(ReplayOptions.class);
    ReplayManifest manifest = ReplayExposure.runForManifest(o);
    Map<String, Long> c = manifest.counters;
    long unreadable = c.getOrDefault("dead_letter.file.unreadable", 0L);
    long lost = c.getOrDefault(ArchiveReader.ROWS_LOST, 0L);
    assertEquals(1L, unreadable, c.toString());
    assertTrue(lost > 0 && lost < rows, "some rows read, the rest lost: " + c);
    assertEquals(rows, c.get("records_in") - unreadable + lost, "rows read + rows lost == rows in the file");
    StringBuilder details = new StringBuilder();
    for (GenericRecord d : ReadBack.parquetRows(out.resolve("dead-letter"))) {
      details.append(d.get("reasons"));
    }
    assertTrue(details.toString().contains(file.toString())
        && details.toString().contains("of " + rows + " rows, " + lost + " lost"), details.toString());
    assertTrue(manifest.summary().contains(String.format("%,d rows of unreadable files lost", lost)), manifest.summary());
  }

  /**
   * The battery's case as a JSON object of contract fields only, or null when it is not one (or
   * holds a whole number no INT64 column can).
   */
  private static JsonNode tabular(HostileRecords.Case c) {
    JsonNode json;
    try {
      json = JSON.readTree(new String(c.payload, StandardCharsets.UTF_8));
    } catch (Exception notJson) {
      return null;
    }
    if (json == null || !json.isObject() || c.codes.contains("record.")) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      boolean fitsAColumn = !f.getValue().isIntegralNumber() || f.getValue().canConvertToLong();
      if (!EventContract.current().fields().containsKey(f.getKey()) || !fitsAColumn) {
        return null;
      }
    }
    return json;
  }

  /** One Parquet file holding the JSON object as one row, each column typed by its JSON value. */
  private static void writeRow(Path file, JsonNode json) throws Exception {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("row").fields();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      fields = fields.name(f.getKey()).type(avroType(f.getValue())).noDefault();
    }
    Schema schema = fields.endRecord();
    GenericData.Record r = new GenericData.Record(schema);
    json.fields().forEachRemaining(f -> r.put(f.getKey(), avroValue(schema.getField(f.getKey()).schema(), f.getValue())));
    Files.createDirectories(file.getParent());
    try (ParquetWriter<GenericRecord> w = ArchiveFixtures.smallRowGroupWriter(file, schema)) {
      w.write(r);
    }
  }

  private static Schema avroType(JsonNode v) {
    if (v.isTextual()) {
      return Schema.create(Schema.Type.STRING);
    } else if (v.isIntegralNumber()) {
      return Schema.create(Schema.Type.LONG);
    } else if (v.isNumber()) {
      return Schema.create(Schema.Type.DOUBLE);
    } else if (v.isBoolean()) {
      return Schema.create(Schema.Type.BOOLEAN);
    } else if (v.isNull()) {
      return Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    } else if (v.isArray()) {
      return Schema.createArray(Schema.create(Schema.Type.STRING));
    }
    SchemaBuilder.FieldAssembler<Schema> nested = SchemaBuilder.record("nested").fields();
    for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
      nested = nested.requiredString(names.next());
    }
    return nested.endRecord();
  }

  private static Object avroValue(Schema schema, JsonNode v) {
    switch (schema.getType()) {
      case STRING:
        return v.textValue();
      case LONG:
        return v.longValue();
      case DOUBLE:
        return v.doubleValue();
      case BOOLEAN:
        return v.booleanValue();
      case UNION:
        return null;
      case ARRAY:
        List<String> items = new ArrayList<>();
        v.forEach(x -> items.add(x.asText()));
        return items;
      default:
        GenericData.Record nested = new GenericData.Record(schema);
        v.fields().forEachRemaining(f -> nested.put(f.getKey(), f.getValue().asText()));
        return nested;
    }
  }

  /** Replays an archive; returns each refused row (file name, or file#row) with its reason codes. */
  private static Map<String, String> replayRefusals(Path archive, Path out) throws Exception {
    ReplayOptions o = PipelineOptionsFactory.fromArgs("--archive=" + archive, "--output=" + out)
        .withValidation().as(ReplayOptions.class);
    assertEquals(PipelineResult.State.DONE, ReplayExposure.run(o));
    Map<String, String> refused = new TreeMap<>();
    for (GenericRecord d : ReadBack.parquetRows(out.resolve("dead-letter"))) {
      String source = d.get("source").toString();
      String where = source.substring(source.lastIndexOf('/') + 1);
      if (where.endsWith("#0") && where.startsWith("case-")) {
        where = where.substring(0, where.length() - 2);
      }
      refused.put(where, String.join(",", DeadLetterRecords.codesOf(d)));
    }
    return refused;
  }

  /** The contract's columns as Spark or pyarrow write them with DECIMAL amounts and nanosecond times. */
  private static MessageType schema(boolean utc) {
    return Types.buildMessage()
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
        .required(PrimitiveTypeName.BINARY).named("merchant_id")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_type")
        .required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(2, 18)).named("amount_minor")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("currency")
        .required(PrimitiveTypeName.INT64)
        .as(LogicalTypeAnnotation.timestampType(utc, LogicalTypeAnnotation.TimeUnit.NANOS)).named("event_time")
        .required(PrimitiveTypeName.INT32).named("schema_version")
        .named("spark_schema");
  }

  private static Group row(SimpleGroupFactory rows, String eventId, Binary merchant, long unscaledAmount, long nanos) {
    return rows.newGroup()
        .append("event_id", eventId)
        .append("merchant_id", merchant)
        .append("event_type", "CAPTURE")
        .append("amount_minor", unscaledAmount)
        .append("currency", "EUR")
        .append("event_time", nanos)
        .append("schema_version", 1);
  }

  private static ParquetWriter<Group> writer(Path file, MessageType schema) throws Exception {
    Files.createDirectories(file.getParent());
    return ExampleParquetWriter.builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
        .withType(schema)
        .build();
  }
}
