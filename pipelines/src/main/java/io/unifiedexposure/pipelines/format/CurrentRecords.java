package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.PaneTiming;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Current exposure rows ({@code merchant_exposure_current}) on the wire. Kafka: key {@code
 * merchant_id} (a compacted topic holds each merchant's current row), value a JSON object with
 * every field. Parquet: one column per field, days as TIMESTAMP(MILLIS, UTC), the limit's columns
 * null when the merchant has no limit.
 */
public final class CurrentRecords {
  private CurrentRecords() {}

  public static String kafkaKey(CurrentRow r) {
    return r.merchantId();
  }

  /**
   * Of two rows of a merchant, the one a consumer keeps: the later as_of_day, then the higher
   * pane_index (the first on a tie). A compacted topic keeps the last one written, the same one
   * when the rows of a merchant reach the topic in order, as they do from one Flink writer.
   */
  public static CurrentRow newer(CurrentRow a, CurrentRow b) {
    if (!a.asOfDay().equals(b.asOfDay())) {
      return a.asOfDay().isAfter(b.asOfDay()) ? a : b;
    }
    return a.paneIndex() >= b.paneIndex() ? a : b;
  }

  public static String toJson(CurrentRow r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("merchant_id", r.merchantId());
    n.put("reporting_currency", r.reportingCurrency());
    n.put("as_of_day", EventEncoder.isoUtc(r.asOfDay().getMillis()));
    n.put("days_from", EventEncoder.isoUtc(r.daysFrom().getMillis()));
    n.put("exposure_minor", r.exposureMinor());
    n.put("event_count", r.eventCount());
    ArrayNode missing = n.putArray("missing_rates");
    r.missingRates().forEach(missing::add);
    if (r.limit() == null) {
      n.putNull("limit_minor");
      n.putNull("limit_effective_from");
    } else {
      n.put("limit_minor", r.limit().limitMinor());
      n.put("limit_effective_from", EventEncoder.isoUtc(r.limit().effectiveFromMillis()));
    }
    n.put("over_limit", r.overLimit());
    n.put("pane_timing", r.paneTiming().name());
    n.put("pane_index", r.paneIndex());
    n.put("is_final", r.isFinal());
    return Json.text(n);
  }

  /**
   * A row read back from the topic. The limit comes back as its amount and effective_from only
   * (version and source are not on the wire): enough to compare and to show.
   */
  public static CurrentRow fromJson(String json) {
    JsonNode n = Json.parse(json);
    JsonNode limit = n.get("limit_minor");
    List<String> missing = new ArrayList<>();
    n.get("missing_rates").forEach(v -> missing.add(v.asText()));
    return CurrentRow.of(
        n.get("merchant_id").asText(),
        n.get("reporting_currency").asText(),
        instant(n.get("as_of_day").asText()),
        instant(n.get("days_from").asText()),
        n.get("exposure_minor").asLong(),
        n.get("event_count").asLong(),
        missing,
        limit == null || limit.isNull() ? null : MerchantLimit.of(n.get("merchant_id").asText(),
            n.get("reporting_currency").asText(), instant(n.get("limit_effective_from").asText()).getMillis(),
            limit.asLong(), 0, "", 0L),
        PaneTiming.valueOf(n.get("pane_timing").asText()),
        n.get("pane_index").asLong(),
        n.get("is_final").asBoolean());
  }

  /** A row of a replay's {@code current/}, the limit as in {@link #fromJson}. */
  public static CurrentRow fromAvro(GenericRecord g) {
    List<String> missing = new ArrayList<>();
    ((Iterable<?>) g.get("missing_rates")).forEach(v -> missing.add(v.toString()));
    Object limit = g.get("limit_minor");
    return CurrentRow.of(
        g.get("merchant_id").toString(),
        g.get("reporting_currency").toString(),
        new org.joda.time.Instant((Long) g.get("as_of_day")),
        new org.joda.time.Instant((Long) g.get("days_from")),
        (Long) g.get("exposure_minor"),
        (Long) g.get("event_count"),
        missing,
        limit == null ? null : MerchantLimit.of(g.get("merchant_id").toString(), g.get("reporting_currency").toString(),
            (Long) g.get("limit_effective_from"), (Long) limit, 0, "", 0L),
        PaneTiming.valueOf(g.get("pane_timing").toString()),
        (Long) g.get("pane_index"),
        (Boolean) g.get("is_final"));
  }

  private static org.joda.time.Instant instant(String iso) {
    return new org.joda.time.Instant(java.time.Instant.parse(iso).toEpochMilli());
  }

  public static Schema schema() {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema codes = Schema.createArray(Schema.create(Schema.Type.STRING));
    return SchemaBuilder.record("ExposureCurrentV1")
        .namespace("io.unifiedexposure.projection")
        .fields()
        .requiredString("merchant_id")
        .requiredString("reporting_currency")
        .name("as_of_day").type(millis).noDefault()
        .name("days_from").type(millis).noDefault()
        .requiredLong("exposure_minor")
        .requiredLong("event_count")
        .name("missing_rates").type(codes).noDefault()
        .optionalLong("limit_minor")
        .name("limit_effective_from").type(Schema.createUnion(Schema.create(Schema.Type.NULL), millis)).withDefault(null)
        .requiredBoolean("over_limit")
        .requiredString("pane_timing")
        .requiredLong("pane_index")
        .requiredBoolean("is_final")
        .endRecord();
  }

  public static GenericRecord toAvro(Schema schema, CurrentRow r) {
    GenericData.Record g = new GenericData.Record(schema);
    g.put("merchant_id", r.merchantId());
    g.put("reporting_currency", r.reportingCurrency());
    g.put("as_of_day", r.asOfDay().getMillis());
    g.put("days_from", r.daysFrom().getMillis());
    g.put("exposure_minor", r.exposureMinor());
    g.put("event_count", r.eventCount());
    g.put("missing_rates", new ArrayList<>(r.missingRates()));
    g.put("limit_minor", r.limit() == null ? null : r.limit().limitMinor());
    g.put("limit_effective_from", r.limit() == null ? null : r.limit().effectiveFromMillis());
    g.put("over_limit", r.overLimit());
    g.put("pane_timing", r.paneTiming().name());
    g.put("pane_index", r.paneIndex());
    g.put("is_final", r.isFinal());
    return g;
  }
}
