package io.unifiedexposure.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The FX rate contract as the decoder applies it: a valid rate, and every reason at once. */
class FxRateDecoderTest {
  private final FxRateDecoder decoder = new FxRateDecoder("EUR");

  private FxRateDecoder.Result decode(String json) {
    return decoder.decode(RawRecord.ofKind(FactKind.FX_RATE, json.getBytes(StandardCharsets.UTF_8), "kafka:fx/0@7", 42L));
  }

  private static List<String> codes(FxRateDecoder.Result r) {
    return r.problems.stream().map(Problem::code).collect(Collectors.toList());
  }

  @Test
  void aValidRateKeepsItsExactDecimalItsDayAndWhereItCameFrom() {
    FxRateDecoder.Result r =
        decode("{\"currency\":\"USD\",\"reporting_currency\":\"EUR\",\"day\":\"2025-07-01\",\"rate\":\"0.923400000001\","
            + "\"version\":2,\"schema_version\":1}");
    assertTrue(r.isValid(), () -> r.problems.toString());
    assertEquals(new BigDecimal("0.923400000001"), r.rate.rate());
    assertEquals("2025-07-01", r.rate.day());
    assertEquals(2, r.rate.version());
    assertEquals("kafka:fx/0@7", r.rate.source());
    assertEquals(42L, r.rate.receivedAtMillis());
    // Its wire form reads back to the same fact.
    FxRateDecoder.Result again = decoder.decode(r.rate.toRaw());
    assertTrue(again.rate.sameFactAs(r.rate));
  }

  @Test
  void aBrokenRecordIsRefusedWithEveryReason() {
    FxRateDecoder.Result r =
        decode("{\"currency\":\"usd\",\"reporting_currency\":\"GBP\",\"day\":\"2025-02-30\",\"rate\":\"1e3\","
            + "\"version\":0,\"schema_version\":2,\"note\":\"x\"}");
    assertEquals(
        List.of("currency.pattern", "rate.pattern", "schema_version.not_allowed", "record.unexpected_fields",
            "day.bad_date", "version.not_positive", "reporting_currency.not_configured"),
        codes(r));
  }

  @Test
  void aZeroRateOrARateToItselfConvertsNothing() {
    assertEquals(List.of("rate.not_positive"), codes(decode(
        "{\"currency\":\"USD\",\"reporting_currency\":\"EUR\",\"day\":\"2025-07-01\",\"rate\":\"0.000\",\"version\":1,\"schema_version\":1}")));
    assertEquals(List.of("currency.same_as_reporting"), codes(decode(
        "{\"currency\":\"EUR\",\"reporting_currency\":\"EUR\",\"day\":\"2025-07-01\",\"rate\":\"1\",\"version\":1,\"schema_version\":1}")));
  }

  @Test
  void notJsonOrMissingFieldsSaySo() {
    assertEquals(List.of("record.malformed_json"), codes(decode("{\"currency\":")));
    assertEquals(
        List.of("day.missing", "rate.missing", "version.missing", "schema_version.missing"),
        codes(decode("{\"currency\":\"USD\",\"reporting_currency\":\"EUR\"}")));
  }
}
