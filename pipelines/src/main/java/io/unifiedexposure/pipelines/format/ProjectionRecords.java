package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import java.time.Instant;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Projection rows on the wire. Kafka: key {@code merchant_id|currency|window_start} (so the topic
 * can be compacted), value a JSON object with every field, windows as ISO-8601 UTC strings.
 * Parquet: one column per field, windows as TIMESTAMP(MILLIS, UTC).
 */
public final class ProjectionRecords {
  private ProjectionRecords() {}

  /** {@code merchant_id|currency|window_start}, the window start in ISO-8601 UTC. */
  public static String kafkaKey(String merchantId, String currency, long windowStartMillis) {
    return merchantId + "|" + currency + "|" + EventEncoder.isoUtc(windowStartMillis);
  }

  public static String kafkaKey(ProjectionRow r) {
    return kafkaKey(r.merchantId(), r.currency(), r.windowStart().getMillis());
  }

  public static String toJson(ProjectionRow r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("merchant_id", r.merchantId());
    n.put("currency", r.currency());
    n.put("window_start", EventEncoder.isoUtc(r.windowStart().getMillis()));
    n.put("window_end", EventEncoder.isoUtc(r.windowEnd().getMillis()));
    n.put("exposure_minor", r.exposureMinor());
    n.put("event_count", r.eventCount());
    n.put("pane_timing", r.paneTiming().name());
    n.put("pane_index", r.paneIndex());
    n.put("is_final", r.isFinal());
    return Json.text(n);
  }

  public static ProjectionRow fromJson(String json) {
    JsonNode n = Json.parse(json);
    return ProjectionRow.of(
        n.get("merchant_id").asText(),
        n.get("currency").asText(),
        instant(n.get("window_start").asText()),
        instant(n.get("window_end").asText()),
        n.get("exposure_minor").asLong(),
        n.get("event_count").asLong(),
        PaneTiming.valueOf(n.get("pane_timing").asText()),
        n.get("pane_index").asLong(),
        n.get("is_final").asBoolean());
  }

  public static Schema schema() {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    return SchemaBuilder.record("ExposureProjectionV1")
        .namespace("io.unifiedexposure.projection")
        .fields()
        .requiredString("merchant_id")
        .requiredString("currency")
        .name("window_start").type(millis).noDefault()
        .name("window_end").type(millis).noDefault()
        .requiredLong("exposure_minor")
        .requiredLong("event_count")
        .requiredString("pane_timing")
        .requiredLong("pane_index")
        .requiredBoolean("is_final")
        .endRecord();
  }

  public static GenericRecord toAvro(Schema schema, ProjectionRow r) {
    GenericData.Record g = new GenericData.Record(schema);
    g.put("merchant_id", r.merchantId());
    g.put("currency", r.currency());
    g.put("window_start", r.windowStart().getMillis());
    g.put("window_end", r.windowEnd().getMillis());
    g.put("exposure_minor", r.exposureMinor());
    g.put("event_count", r.eventCount());
    g.put("pane_timing", r.paneTiming().name());
    g.put("pane_index", r.paneIndex());
    g.put("is_final", r.isFinal());
    return g;
  }

  public static ProjectionRow fromAvro(GenericRecord g) {
    return ProjectionRow.of(
        g.get("merchant_id").toString(),
        g.get("currency").toString(),
        new org.joda.time.Instant((Long) g.get("window_start")),
        new org.joda.time.Instant((Long) g.get("window_end")),
        (Long) g.get("exposure_minor"),
        (Long) g.get("event_count"),
        PaneTiming.valueOf(g.get("pane_timing").toString()),
        (Long) g.get("pane_index"),
        (Boolean) g.get("is_final"));
  }

  private static org.joda.time.Instant instant(String iso) {
    return new org.joda.time.Instant(Instant.parse(iso).toEpochMilli());
  }
}
