package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.PaneTiming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Converted rows on the wire. Kafka: key {@code merchant_id|window_start} (compactable), value a
 * JSON object with every field. Parquet: one column per field, the currency lists as lists of
 * strings, windows as TIMESTAMP(MILLIS, UTC).
 */
public final class ConvertedRecords {
  private ConvertedRecords() {}

  /** {@code merchant_id|window_start}, the window start in ISO-8601 UTC. */
  public static String kafkaKey(ConvertedRow r) {
    return r.merchantId() + "|" + EventEncoder.isoUtc(r.windowStart().getMillis());
  }

  /**
   * The newest row per {@link #kafkaKey}, in key order: what a consumer following the upsert contract
   * holds (the higher pane_index; the first on a tie), as {@code ProjectionUpsert.newest} for projections.
   */
  public static Map<String, ConvertedRow> newest(Iterable<ConvertedRow> rows) {
    Map<String, ConvertedRow> newest = new TreeMap<>();
    for (ConvertedRow r : rows) {
      newest.merge(kafkaKey(r), r, (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
    }
    return newest;
  }

  public static String toJson(ConvertedRow r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("merchant_id", r.merchantId());
    n.put("reporting_currency", r.reportingCurrency());
    n.put("window_start", EventEncoder.isoUtc(r.windowStart().getMillis()));
    n.put("window_end", EventEncoder.isoUtc(r.windowEnd().getMillis()));
    n.put("exposure_minor", r.exposureMinor());
    n.put("event_count", r.eventCount());
    ArrayNode currencies = n.putArray("currencies");
    r.currencies().forEach(currencies::add);
    ArrayNode missing = n.putArray("missing_rates");
    r.missingRates().forEach(missing::add);
    n.put("pane_timing", r.paneTiming().name());
    n.put("pane_index", r.paneIndex());
    n.put("is_final", r.isFinal());
    return Json.text(n);
  }

  public static ConvertedRow fromJson(String json) {
    JsonNode n = Json.parse(json);
    return ConvertedRow.of(
        n.get("merchant_id").asText(),
        n.get("reporting_currency").asText(),
        instant(n.get("window_start").asText()),
        instant(n.get("window_end").asText()),
        n.get("exposure_minor").asLong(),
        n.get("event_count").asLong(),
        texts(n.get("currencies")),
        texts(n.get("missing_rates")),
        PaneTiming.valueOf(n.get("pane_timing").asText()),
        n.get("pane_index").asLong(),
        n.get("is_final").asBoolean());
  }

  public static Schema schema() {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema codes = Schema.createArray(Schema.create(Schema.Type.STRING));
    return SchemaBuilder.record("ExposureConvertedV1")
        .namespace("io.unifiedexposure.projection")
        .fields()
        .requiredString("merchant_id")
        .requiredString("reporting_currency")
        .name("window_start").type(millis).noDefault()
        .name("window_end").type(millis).noDefault()
        .requiredLong("exposure_minor")
        .requiredLong("event_count")
        .name("currencies").type(codes).noDefault()
        .name("missing_rates").type(codes).noDefault()
        .requiredString("pane_timing")
        .requiredLong("pane_index")
        .requiredBoolean("is_final")
        .endRecord();
  }

  public static GenericRecord toAvro(Schema schema, ConvertedRow r) {
    GenericData.Record g = new GenericData.Record(schema);
    g.put("merchant_id", r.merchantId());
    g.put("reporting_currency", r.reportingCurrency());
    g.put("window_start", r.windowStart().getMillis());
    g.put("window_end", r.windowEnd().getMillis());
    g.put("exposure_minor", r.exposureMinor());
    g.put("event_count", r.eventCount());
    g.put("currencies", new ArrayList<>(r.currencies()));
    g.put("missing_rates", new ArrayList<>(r.missingRates()));
    g.put("pane_timing", r.paneTiming().name());
    g.put("pane_index", r.paneIndex());
    g.put("is_final", r.isFinal());
    return g;
  }

  public static ConvertedRow fromAvro(GenericRecord g) {
    return ConvertedRow.of(
        g.get("merchant_id").toString(),
        g.get("reporting_currency").toString(),
        new org.joda.time.Instant((Long) g.get("window_start")),
        new org.joda.time.Instant((Long) g.get("window_end")),
        (Long) g.get("exposure_minor"),
        (Long) g.get("event_count"),
        strings(g.get("currencies")),
        strings(g.get("missing_rates")),
        PaneTiming.valueOf(g.get("pane_timing").toString()),
        (Long) g.get("pane_index"),
        (Boolean) g.get("is_final"));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object v : (Iterable<?>) list) {
      out.add(v.toString());
    }
    return out;
  }

  private static org.joda.time.Instant instant(String iso) {
    return new org.joda.time.Instant(Instant.parse(iso).toEpochMilli());
  }
}
