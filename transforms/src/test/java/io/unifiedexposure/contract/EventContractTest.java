package io.unifiedexposure.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOptions;
import java.util.ArrayList;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class EventContractTest {
  private static final ExposureEvent CORRECTION =
      ExposureEvent.builder()
          .setEventId("c-1")
          .setMerchantId("m1")
          .setEventType(EventType.CORRECTION)
          .setAmountMinor(-120)
          .setCurrency("EUR")
          .setEventTime(Instant.parse("2025-07-01T10:15:30.123Z"))
          .setCorrectsEventId("cap-1")
          .build();

  @Test
  void theAvroSchemaAndTheDomainClassNameTheSameFields() {
    assertEquals(ExposureEvent.FIELD_NAMES, new ArrayList<>(EventContract.current().fields().keySet()));
  }

  @Test
  void exposureDeltaIsDefinedPerType() {
    assertEquals(500, EventType.CAPTURE.exposureDelta(500));
    assertEquals(-500, EventType.REFUND.exposureDelta(500));
    assertEquals(500, EventType.CHARGEBACK.exposureDelta(500));
    assertEquals(0, EventType.AUTHORIZATION.exposureDelta(500));
    assertEquals(-120, CORRECTION.exposureDelta());
  }

  @Test
  void jsonWireFormRoundTrips() {
    EventDecoder.Result r = EventDecoder.current().decode(EventEncoder.toJsonBytes(CORRECTION));
    assertTrue(r.isValid(), () -> r.problems.toString());
    assertEquals(CORRECTION, r.event);
  }

  @Test
  void eventTimeAcceptsAnyZoneAndIsKeptInUtc() {
    String json =
        EventEncoder.toJson(CORRECTION).replace("2025-07-01T10:15:30.123Z", "2025-07-01T12:15:30.123+02:00");
    assertEquals(CORRECTION.eventTime(), EventDecoder.current().decode(json.getBytes()).event.eventTime());
  }

  @Test
  void invalidUtf8IsAProblemNotACrash() {
    EventDecoder.Result r = EventDecoder.current().decode(new byte[] {(byte) 0xC3, (byte) 0x28});
    assertEquals("record.invalid_utf8", r.problems.get(0).code());
  }

  @Test
  void unknownFieldsAreRefused() {
    String json = EventEncoder.toJson(CORRECTION).replace("{", "{\"extra\":1,");
    assertEquals("record.unexpected_field", EventDecoder.current().decode(json.getBytes()).problems.get(0).code());
  }

  @Test
  void codersRoundTrip() throws Exception {
    assertEquals(CORRECTION, CoderUtils.clone(ExposureEvent.coder(), CORRECTION));
    RawRecord raw = RawRecord.of(EventEncoder.toJsonBytes(CORRECTION), "kafka:t/0@1", 7);
    assertEquals(raw, CoderUtils.clone(RawRecord.coder(), raw));
  }

  @Test
  void graphSettingsComeFromOptionsAsPlainDurations() {
    ExposureOptions o =
        PipelineOptionsFactory.fromArgs("--windowSize=PT1H", "--allowedLateness=PT6H", "--earlyFiringDelay=PT5S")
            .as(ExposureOptions.class);
    ExposureGraph g = ExposureGraph.fromOptions(o);
    assertEquals(Duration.standardHours(1), g.windowSize());
    assertEquals(Duration.standardHours(6), g.allowedLateness());
    assertEquals(Duration.standardSeconds(5), g.earlyFiringDelay());
    assertThrows(IllegalArgumentException.class, () -> g.withWindowSize(Duration.standardMinutes(7)));
    o.setWindowSize("one day");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExposureGraph.fromOptions(o));
    assertTrue(e.getMessage().contains("--windowSize=one day"));
  }
}
