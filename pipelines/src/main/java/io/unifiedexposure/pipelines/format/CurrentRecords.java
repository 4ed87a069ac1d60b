package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.EventEncoder;
import java.util.ArrayList;
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
