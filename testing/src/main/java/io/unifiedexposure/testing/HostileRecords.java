package io.unifiedexposure.testing;

import io.unifiedexposure.contract.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bad and odd records, one per kind, each with the reasons the contract gives it (empty: it is
 * valid and counts): the battery every path runs (the graph on both runners, replay from Parquet
 * side by side, the live job on a broker).
 */
public final class HostileRecords {
  /** A valid CAPTURE of 500 EUR minor units on 2025-07-01 for merchant m1; cases edit copies of it. */
  public static final String GOOD =
      "{\"event_id\":\"ok-1\",\"merchant_id\":\"m1\",\"event_type\":\"CAPTURE\",\"amount_minor\":500,"
          + "\"currency\":\"EUR\",\"event_time\":\"2025-07-01T10:15:30.123Z\",\"corrects_event_id\":null,\"schema_version\":1}";

  /** One case: what it is, the payload as sent, the reason codes expected (comma-separated, in order). */
  public static final class Case {
    public final String name;
    public final byte[] payload;
    public final String codes;

    Case(String name, byte[] payload, String codes) {
      this.name = name;
      this.payload = payload;
      this.codes = codes;
    }

    public boolean valid() {
      return codes.isEmpty();
    }

    /** The case as a raw record from {@code source}. */
    public RawRecord raw(String source) {
      return RawRecord.of(payload, source, 0L);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private HostileRecords() {}

  /** Every case; event_ids are unique across cases, so no two of them meet in dedup. */
  public static List<Case> all() {
    List<Case> c = new ArrayList<>();
    // Not a record at all.
    c.add(text("not JSON", "{not json", "record.malformed_json"));
    c.add(text("a JSON array", "[1,2]", "record.not_an_object"));
    c.add(text("JSON null", "null", "record.not_an_object"));
    c.add(text("empty payload", "", "record.not_an_object"));
    c.add(text("whitespace payload", "   ", "record.not_an_object"));
    c.add(new Case("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "record.invalid_utf8"));
    c.add(text("trailing text", good("trail-1") + " x", "record.malformed_json"));
    c.add(text("two objects", good("two-1") + good("two-2"), "record.malformed_json"));
    c.add(text("duplicate key", good("dupkey-1").replace("\"merchant_id\":\"m1\"", "\"merchant_id\":\"m1\",\"merchant_id\":\"m2\""),
        "record.malformed_json"));
    c.add(text("20,000-deep nesting", "{\"event_id\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}", "record.malformed_json"));
    c.add(text("byte order mark", "\uFEFF" + good("bom-1"), "record.malformed_json"));
    // Fields outside the contract.
    c.add(text("unknown field", good("unk-1").replace("{", "{\"note\":\"x\","), "record.unexpected_field"));
    c.add(text("10,000 unknown fields", good("unk-2").replace("{", "{" + manyFields(10_000)), "record.unexpected_field"));
    c.add(text("900 KB of characters JSON must escape", good("huge-1").replace("{",
        "{\"blob\":\"" + "\\\"\\\\\\u0001".repeat(900_000 / 10) + "\","), "record.unexpected_field"));
    // Ids.
    c.add(text("event_id missing", good("x").replace("\"event_id\":\"x\",", ""), "event_id.missing"));
    c.add(text("event_id empty", good(""), "event_id.too_short"));
    c.add(text("event_id of spaces", good("   "), "event_id.whitespace"));
    c.add(text("event_id with a trailing space", good("sp-1 "), "event_id.whitespace"));
    c.add(text("event_id with a tab", good("\\ttab-1"), "event_id.control_character"));
    c.add(text("event_id with U+0001", good("ctl\\u0001-1"), "event_id.control_character"));
    c.add(text("event_id with a newline", good("nl\\n-1"), "event_id.control_character"));
    c.add(text("event_id with DEL", good("del\u007f-1"), "event_id.control_character"));
    c.add(text("event_id with a C1 control", good("c1\u0085-1"), "event_id.control_character"));
    c.add(text("event_id of 129 characters", good("x".repeat(129)), "event_id.too_long"));
    c.add(text("event_id of 100 emoji (200 UTF-16 units)", good("\uD83D\uDE00".repeat(100)), ""));
    c.add(text("event_id of 129 emoji", good("\uD83D\uDE01".repeat(129)), "event_id.too_long"));
    c.add(text("event_id with inner spaces", good("inner space 1"), ""));
    c.add(text("event_id a number", good("x").replace("\"x\"", "42"), "event_id.wrong_type"));
    c.add(text("merchant_id null", good("mnull-1").replace("\"m1\"", "null"), "merchant_id.missing"));
    c.add(text("merchant_id of spaces", good("mws-1").replace("\"m1\"", "\"  \""), "merchant_id.whitespace"));
    c.add(text("merchant_id with a leading space", good("mws-2").replace("\"m1\"", "\" m1\""), "merchant_id.whitespace"));
    c.add(text("merchant_id with a newline", good("mnl-1").replace("\"m1\"", "\"m\\n1\""), "merchant_id.control_character"));
    c.add(text("merchant_id an object", good("mobj-1").replace("\"m1\"", "{\"id\":\"m1\"}"), "merchant_id.wrong_type"));
    c.add(text("merchant_id an array", good("marr-1").replace("\"m1\"", "[\"m1\"]"), "merchant_id.wrong_type"));
    c.add(text("merchant_id a boolean", good("mbool-1").replace("\"m1\"", "true"), "merchant_id.wrong_type"));
    c.add(text("merchant_id in Greek", good("mgr-1").replace("\"m1\"", "\"\u03bc\u03b5\u03c1\u03b9\u03ba\u03cc\""), ""));
    // Type, amount, currency.
    c.add(text("event_type unknown", good("et-1").replace("CAPTURE", "PAYOUT"), "event_type.not_allowed"));
    c.add(text("event_type lower case", good("et-2").replace("CAPTURE", "capture"), "event_type.not_allowed"));
    c.add(text("event_type a number", good("et-3").replace("\"CAPTURE\"", "5"), "event_type.wrong_type"));
    c.add(text("amount as text", good("am-1").replace("500", "\"500\""), "amount_minor.wrong_type"));
    c.add(text("amount with a fraction", good("am-2").replace("500", "12.5"), "amount_minor.wrong_type"));
    c.add(text("amount 1500.00", good("am-3").replace("500", "1500.00"), "amount_minor.wrong_type"));
    c.add(text("amount 1e30", good("am-4").replace("500", "1e30"), "amount_minor.wrong_type"));
    c.add(text("amount 2^63", good("am-5").replace("500", "9223372036854775808"), "amount_minor.wrong_type"));
    c.add(text("amount negative", good("am-6").replace("500", "-5"), "amount_minor.negative"));
    c.add(text("amount the largest long", good("am-7").replace("500", "9223372036854775807"), "amount_minor.too_large"));
    c.add(text("amount at the maximum, 10^15", good("am-8").replace("500", "1000000000000000"), ""));
    c.add(text("CORRECTION beyond -10^15", good("am-9").replace("CAPTURE", "CORRECTION").replace("500", "-1000000000000001")
        .replace("\"corrects_event_id\":null", "\"corrects_event_id\":\"ok-1\""), "amount_minor.too_large"));
    c.add(text("CORRECTION of 0", good("co-1").replace("CAPTURE", "CORRECTION").replace("500", "0")
        .replace("\"corrects_event_id\":null", "\"corrects_event_id\":\"ok-1\""), "amount_minor.zero_correction"));
    c.add(text("CORRECTION without target", good("co-2").replace("CAPTURE", "CORRECTION"), "corrects_event_id.missing"));
    c.add(text("CORRECTION of itself", good("co-3").replace("CAPTURE", "CORRECTION")
        .replace("\"corrects_event_id\":null", "\"corrects_event_id\":\"co-3\""), "corrects_event_id.self"));
    c.add(text("CAPTURE with a target", good("co-4").replace("\"corrects_event_id\":null", "\"corrects_event_id\":\"ok-1\""),
        "corrects_event_id.unexpected"));
    c.add(text("currency lower case", good("cu-1").replace("EUR", "eur"), "currency.pattern"));
    c.add(text("currency not ISO-4217", good("cu-2").replace("EUR", "ABC"), "currency.unknown_code"));
    c.add(text("currency XXX (no currency)", good("cu-3").replace("EUR", "XXX"), "currency.unknown_code"));
    c.add(text("currency a number", good("cu-4").replace("\"EUR\"", "978"), "currency.wrong_type"));
    c.add(text("currency with a trailing space", good("cu-5").replace("\"EUR\"", "\"EUR \""), "currency.whitespace"));
    // Time and version.
    c.add(text("event_time without a zone", good("tm-1").replace("2025-07-01T10:15:30.123Z", "2025-07-01T10:15:30"),
        "event_time.bad_format"));
    c.add(text("event_time month 13", good("tm-2").replace("2025-07-01", "2025-13-01"), "event_time.bad_format"));
    c.add(text("event_time epoch millis", good("tm-3").replace("\"2025-07-01T10:15:30.123Z\"", "1751364930123"),
        "event_time.wrong_type"));
    c.add(text("event_time with an offset", good("tm-4").replace("10:15:30.123Z", "12:15:30.123+02:00"), ""));
    c.add(text("schema_version 3, unknown to this build", good("sv-1").replace("\"schema_version\":1", "\"schema_version\":3"),
        "schema_version.not_allowed"));
    c.add(text("a version 2 field in a version 1 record",
        good("sv-3").replace("\"schema_version\":1", "\"schema_version\":1,\"acquirer_reference\":\"acq-1\""),
        "acquirer_reference.since_version"));
    c.add(text("schema_version as text", good("sv-2").replace("\"schema_version\":1", "\"schema_version\":\"1\""),
        "schema_version.wrong_type"));
    // Several reasons at once.
    c.add(text("every field wrong", "{\"event_id\":\" \",\"merchant_id\":7,\"event_type\":\"X\",\"amount_minor\":\"a\","
        + "\"currency\":\"eur\",\"event_time\":\"yesterday\",\"corrects_event_id\":5,\"schema_version\":9}",
        "event_id.whitespace,merchant_id.wrong_type,event_type.not_allowed,amount_minor.wrong_type,currency.pattern,"
            + "event_time.bad_format,corrects_event_id.wrong_type,schema_version.not_allowed"));
    return Collections.unmodifiableList(c);
  }

  /** {@link #GOOD} with another event_id (JSON-escaped text as given). */
  public static String good(String eventId) {
    return GOOD.replace("\"ok-1\"", "\"" + eventId + "\"");
  }

  private static Case text(String name, String payload, String codes) {
    return new Case(name, payload.getBytes(StandardCharsets.UTF_8), codes);
  }

  private static String manyFields(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("\"f").append(i).append("\":").append(i).append(',');
    }
    return b.toString();
  }
}
