package io.unifiedexposure.pipelines.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Archive rows reach the graph as typed values ({@link RawRecord#ofFields}) instead of JSON text.
 * The validator must give them exactly the answer it gives their JSON wire form, for good rows and
 * for every kind of bad one, and the wire form written for a dead letter must be what it was.
 */
class ArchiveRecordsTest {
  private final EventDecoder decoder = EventDecoder.current();

  @Test
  void ownArchiveRowsAreTypedAndDecodeAsTheirCanonicalWireForm() throws Exception {
    Schema schema = ArchiveRecords.schema();
    Random random = new Random(3);
    for (int i = 0; i < 2_000; i++) {
      ExposureEvent e = randomEvent(random, i);
      RawRecord raw = ArchiveRecords.toRawRecord(ArchiveRecords.toArchive(schema, e, 17L, "kafka:t/0@" + i), "f", i);
      assertNotNull(raw.fields(), "own archive rows are typed");
      assertArrayEquals(EventEncoder.toJsonBytes(e), raw.payload(), "the wire form is the canonical one");
      EventDecoder.Result typed = decoder.decodeFields(raw.fields());
      assertEquals(e, typed.event);
      assertSameAnswer(raw);
      CoderProperties.coderDecodeEncodeEqual(RawRecord.coder(), raw);
    }
  }

  @Test
  void badAndForeignRowsGetTheAnswerTheirWireFormGets() throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    Schema own = ArchiveRecords.schema();
    ExposureEvent good = randomEvent(new Random(5), 1);
    String[][] badStrings = {
      {"currency", "eur"}, {"currency", "EURO"}, {"event_type", "REVERSAL"}, {"event_id", ""},
      {"event_id", "x".repeat(129)}, {"merchant_id", "m\u00e9rchant-\u2603"}, {"corrects_event_id", "target"}
    };
    for (String[] bad : badStrings) {
      GenericRecord r = ArchiveRecords.toArchive(own, good, 1L, "s");
      r.put(bad[0], bad[1]);
      rows.add(r);
    }
    GenericRecord negative = ArchiveRecords.toArchive(own, good.toBuilder().setEventType(EventType.CAPTURE).build(), 1L, "s");
    negative.put("amount_minor", -5L);
    rows.add(negative);
    GenericRecord correctionWithoutTarget = ArchiveRecords.toArchive(own, good, 1L, "s");
    correctionWithoutTarget.put("event_type", "CORRECTION");
    rows.add(correctionWithoutTarget);
    GenericRecord version2 = ArchiveRecords.toArchive(own, good, 1L, "s");
    version2.put("schema_version", 2);
    rows.add(version2);
    GenericRecord nullMerchant = ArchiveRecords.toArchive(own, good, 1L, "s");
    nullMerchant.put("merchant_id", null);
    rows.add(nullMerchant);
    // Foreign writers: other column types, missing columns, a zone-less timestamp, a double amount.
    rows.add(foreign(SchemaBuilder.builder().longType(), 1L, "long", good));
    rows.add(foreign(SchemaBuilder.builder().doubleType(), 12.5, "double", good));
    rows.add(foreign(SchemaBuilder.builder().booleanType(), true, "boolean", good));
    rows.add(foreign(SchemaBuilder.builder().stringType(), "12", "string", good));
    rows.add(localTimestampRow(good));
    rows.add(withoutCorrectsColumn(good));
    for (GenericRecord row : rows) {
      RawRecord raw = ArchiveRecords.toRawRecord(row, "f", 0);
      assertSameAnswer(raw);
      CoderProperties.coderDecodeEncodeEqual(RawRecord.coder(), raw);
    }
    assertNull(ArchiveRecords.toRawRecord(rows.get(rows.size() - 5), "f", 0).fields(),
        "a double amount goes as JSON text");
  }

  /** The typed values and the JSON text they stand for get the same event or the same problems. */
  private void assertSameAnswer(RawRecord raw) {
    EventDecoder.Result asText = decoder.decode(raw.payload());
    EventDecoder.Result asGiven = raw.fields() != null ? decoder.decodeFields(raw.fields()) : asText;
    String what = new String(raw.payload(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(asText.event, asGiven.event, what);
    assertEquals(asText.problems.toString(), asGiven.problems.toString(), what);
  }

  private static ExposureEvent randomEvent(Random random, int i) {
    EventType type = EventType.values()[random.nextInt(EventType.values().length)];
    long amount = random.nextInt(1_000_000) + (random.nextBoolean() ? 0 : 3_000_000_000L);
    return ExposureEvent.builder()
        .setEventId("evt-" + i + "-" + random.nextInt(1000))
        .setMerchantId("m" + random.nextInt(50))
        .setEventType(type)
        .setAmountMinor(type.isCorrection() ? -amount - 1 : amount)
        .setCurrency(random.nextBoolean() ? "EUR" : "USD")
        .setEventTime(new Instant(1_751_328_000_000L + random.nextInt(1_000_000_000) * (random.nextBoolean() ? 1000L : 1L)))
        .setCorrectsEventId(type.isCorrection() ? "evt-" + (i - 1) : null)
        // Contract versions 1 and 2, a third of the facts with an acquirer reference (version 2).
        .setSchemaVersion(i % 3 == 2 ? 1 : 2)
        .setAcquirerReference(i % 3 == 0 ? "acq-" + i : null)
        .build();
  }

  /** A row whose schema_version column has another type. */
  private static GenericRecord foreign(Schema versionType, Object version, String name, ExposureEvent e) {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema schema = SchemaBuilder.record("foreign_" + name).fields()
        .requiredString("event_id").requiredString("merchant_id").requiredString("event_type")
        .name("amount_minor").type(versionType).noDefault()
        .requiredString("currency").name("event_time").type(millis).noDefault()
        .optionalString("corrects_event_id").name("schema_version").type(versionType).noDefault()
        .endRecord();
    GenericData.Record r = new GenericData.Record(schema);
    r.put("event_id", e.eventId());
    r.put("merchant_id", e.merchantId());
    r.put("event_type", e.eventType().name());
    r.put("amount_minor", version);
    r.put("currency", e.currency());
    r.put("event_time", e.eventTime().getMillis());
    r.put("corrects_event_id", e.correctsEventId());
    r.put("schema_version", version);
    return r;
  }

  /** A zone-less (local) timestamp: refused by name, as its wire form has no zone. */
  private static GenericRecord localTimestampRow(ExposureEvent e) {
    return rowWithoutCorrectsColumn(
        LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG)), e.eventTime().getMillis(), e);
  }

  /** No corrects_event_id column at all, and event_time in micros with sub-millisecond digits. */
  private static GenericRecord withoutCorrectsColumn(ExposureEvent e) {
    return rowWithoutCorrectsColumn(
        LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)),
        e.eventTime().getMillis() * 1000L + 999L, e);
  }

  private static GenericRecord rowWithoutCorrectsColumn(Schema timeType, long time, ExposureEvent e) {
    Schema schema = SchemaBuilder.record("nocorrects").fields()
        .requiredString("event_id").requiredString("merchant_id").requiredString("event_type")
        .requiredLong("amount_minor").requiredString("currency").name("event_time").type(timeType).noDefault()
        .requiredInt("schema_version").endRecord();
    GenericData.Record r = new GenericData.Record(schema);
    r.put("event_id", e.eventId());
    r.put("merchant_id", e.merchantId());
    r.put("event_type", "CAPTURE");
    r.put("amount_minor", 5L);
    r.put("currency", e.currency());
    r.put("event_time", time);
    r.put("schema_version", 1);
    return r;
  }
}
