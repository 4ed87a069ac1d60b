package io.unifiedexposure.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The event contract's versions: every schema file stays, each newer one reads what every older
 * one wrote and the other way round (Avro's own {@link SchemaCompatibility}, so an incompatible
 * change fails the build); version 2 records are read beside version 1; a version this build does
 * not know, or a later version's field in an earlier version's record, is refused with its reason;
 * a version 1 fact encodes to the bytes an earlier build wrote, so live state restores across the
 * upgrade.
 */
class ContractVersionsTest {
  private static final String DIR = "/io/unifiedexposure/contract/";

  private static Schema version(int v) throws IOException {
    try (InputStream in = ContractVersionsTest.class.getResourceAsStream(DIR + "exposure_event_v" + v + ".avsc")) {
      return in == null ? null : new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static List<Schema> allVersions() throws IOException {
    List<Schema> all = new ArrayList<>();
    for (int v = 1; version(v) != null; v++) {
      all.add(version(v));
    }
    return all;
  }

  @Test
  void everyVersionReadsWhatEveryOtherWrote() throws IOException {
    List<Schema> all = allVersions();
    assertEquals(EventContract.CURRENT_VERSION, all.size(), "one schema file per version, the newest current");
    for (Schema reader : all) {
      for (Schema writer : all) {
        SchemaCompatibility.SchemaPairCompatibility c = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, c.getType(),
            reader.getName() + " reading " + writer.getName() + ": " + c.getDescription());
      }
    }
    assertEquals(new Schema.Parser().parse(EventContract.current().schemaJson()), all.get(all.size() - 1));
  }

  @Test
  void theCheckRefusesAnIncompatibleChange() throws IOException {
    // A field made required without a default: the newer schema cannot read the older's records.
    String newest = EventContract.current().schemaJson().replace(
        "{\"name\": \"acquirer_reference\", \"type\": [\"null\", \"string\"], \"default\": null,",
        "{\"name\": \"acquirer_reference\", \"type\": \"string\",");
    Schema broken = new Schema.Parser().parse(newest);
    assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(broken, version(1)).getType());
  }

  private static String record(int version, String extra) {
    return "{\"event_id\":\"e-1\",\"merchant_id\":\"m1\",\"event_type\":\"CAPTURE\",\"amount_minor\":100,"
        + "\"currency\":\"EUR\",\"event_time\":\"2025-07-01T10:00:00Z\",\"corrects_event_id\":null,"
        + "\"schema_version\":" + version + extra + "}";
  }

  private static EventDecoder.Result decode(String json) {
    return EventDecoder.current().decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void versionTwoIsReadBesideVersionOne() {
    EventDecoder.Result v1 = decode(record(1, ""));
    assertTrue(v1.isValid(), v1.problems::toString);
    assertNull(v1.event.acquirerReference());
    EventDecoder.Result v2 = decode(record(2, ",\"acquirer_reference\":\"acq-77\""));
    assertTrue(v2.isValid(), v2.problems::toString);
    assertEquals("acq-77", v2.event.acquirerReference());
    assertEquals(2, v2.event.schemaVersion());
    assertTrue(decode(record(2, "")).isValid(), "the field is optional in version 2");
    // The wire form round trips, and a version 1 fact's is what it was before version 2 existed.
    assertEquals(v2.event, decode(EventEncoder.toJson(v2.event)).event);
    assertEquals(record(1, ""), EventEncoder.toJson(v1.event));
    assertTrue(v1.event.fingerprint() != v2.event.fingerprint());
  }

  @Test
  void anUnknownVersionOrALaterVersionsFieldIsRefusedNotMisread() {
    EventDecoder.Result v3 = decode(record(3, ""));
    assertEquals("schema_version.not_allowed", v3.problems.get(0).code());
    assertTrue(v3.problems.get(0).detail().contains("unknown value 3; known: [1, 2]"), v3.problems::toString);
    EventDecoder.Result early = decode(record(1, ",\"acquirer_reference\":\"acq-77\""));
    assertEquals("acquirer_reference.since_version", early.problems.get(0).code());
    assertEquals("a field of contract version 2; this record says schema_version 1", early.problems.get(0).detail());
  }

  @Test
  void aVersionOneFactEncodesToTheBytesAnEarlierBuildWrote() throws Exception {
    ExposureEvent v1 = decode(record(1, "")).event;
    // The coder's layout before version 2: the eight fields, the version last.
    ByteArrayOutputStream old = new ByteArrayOutputStream();
    StringUtf8Coder.of().encode("e-1", old);
    StringUtf8Coder.of().encode("m1", old);
    VarIntCoder.of().encode(EventType.CAPTURE.ordinal(), old);
    VarLongCoder.of().encode(100L, old);
    StringUtf8Coder.of().encode("EUR", old);
    VarLongCoder.of().encode(Instant.parse("2025-07-01T10:00:00Z").getMillis(), old);
    NullableCoder.of(StringUtf8Coder.of()).encode(null, old);
    VarIntCoder.of().encode(1, old);
    assertArrayEquals(old.toByteArray(), CoderUtils.encodeToByteArray(ExposureEvent.coder(), v1));
    assertEquals(v1, CoderUtils.decodeFromByteArray(ExposureEvent.coder(), old.toByteArray()));
    ExposureEvent v2 = decode(record(2, ",\"acquirer_reference\":\"acq-77\"")).event;
    assertEquals(v2, CoderUtils.decodeFromByteArray(ExposureEvent.coder(),
        CoderUtils.encodeToByteArray(ExposureEvent.coder(), v2)));
  }
}
