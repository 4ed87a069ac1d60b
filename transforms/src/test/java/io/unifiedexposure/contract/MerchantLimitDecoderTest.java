package io.unifiedexposure.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The merchant limit contract as the decoder applies it: a valid limit, and every reason at once. */
class MerchantLimitDecoderTest {
  private final MerchantLimitDecoder decoder = new MerchantLimitDecoder("EUR");

  private MerchantLimitDecoder.Result decode(String json) {
    return decoder.decode(
        RawRecord.ofKind(FactKind.MERCHANT_LIMIT, json.getBytes(StandardCharsets.UTF_8), "kafka:limits/0@3", 42L));
  }

  @Test
  void aValidLimitKeepsItsInstantItsAmountAndWhereItCameFrom() {
    MerchantLimitDecoder.Result r = decode("{\"merchant_id\":\"m_482\",\"reporting_currency\":\"EUR\","
        + "\"effective_from\":\"2025-07-01T14:00:00Z\",\"limit_minor\":2500000,\"version\":2,\"schema_version\":1}");
    assertTrue(r.isValid(), () -> r.problems.toString());
    assertEquals("m_482", r.limit.merchantId());
    assertEquals(2_500_000L, r.limit.limitMinor());
    assertEquals("2025-07-01T14:00:00Z", IsoInstants.format(r.limit.effectiveFromMillis()));
    assertEquals("2025-07-01T00:00:00Z", IsoInstants.format(r.limit.dayStartMillis()));
    assertEquals("kafka:limits/0@3", r.limit.source());
    assertEquals("m_482 from 2025-07-01T14:00:00Z", r.limit.identity());
    MerchantLimitDecoder.Result again = decoder.decode(r.limit.toRaw());
    assertTrue(again.limit.sameFactAs(r.limit), "its wire form reads back to the same fact");
  }

  @Test
  void aBrokenLimitGetsEveryReasonAtOnce() {
    MerchantLimitDecoder.Result r = decode("{\"merchant_id\":\"\",\"reporting_currency\":\"USD\","
        + "\"effective_from\":\"2025-07-01T14:00:00\",\"limit_minor\":-5,\"version\":0,\"schema_version\":2,\"note\":1}");
    assertTrue(!r.isValid());
    List<String> codes = r.problems.stream().map(Problem::code).collect(Collectors.toList());
    assertEquals(List.of("merchant_id.too_short", "effective_from.bad_format", "schema_version.not_allowed",
        "record.unexpected_fields", "limit_minor.negative", "version.not_positive",
        "reporting_currency.not_configured"), codes);
  }

  @Test
  void notJsonIsOneReason() {
    MerchantLimitDecoder.Result r = decode("{nope");
    assertEquals(1, r.problems.size());
    assertEquals("record.malformed_json", r.problems.get(0).code());
  }
}
