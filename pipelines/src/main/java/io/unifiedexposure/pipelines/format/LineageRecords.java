package io.unifiedexposure.pipelines.format;

import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.FactLineage;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.joda.time.Instant;

/**
 * The graph's lineage in Parquet (a replay's {@code lineage/}, written when asked for): one row per
 * valid copy with its outcome, what it added to its window ({@code contribution_minor},
 * {@code count_delta}), the fact's fields, where it came from and the copy it was judged against.
 */
public final class LineageRecords {
  private LineageRecords() {}

  public static Schema schema() {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    return SchemaBuilder.record("ExposureLineageV1")
        .namespace("io.unifiedexposure.lineage")
        .fields()
        .requiredString("merchant_id")
        .requiredString("currency")
        .name("window_start").type(millis).noDefault()
        .requiredString("outcome")
        .requiredLong("contribution_minor")
        .requiredLong("count_delta")
        .requiredString("event_id")
        .requiredString("event_type")
        .requiredLong("amount_minor")
        .name("event_time").type(millis).noDefault()
        .optionalString("corrects_event_id")
        .requiredInt("schema_version")
        .optionalString("acquirer_reference")
        .name("received_at").type(millis).noDefault()
        .requiredString("source")
        .optionalString("other_source")
        .endRecord();
  }

  public static GenericRecord toAvro(Schema schema, FactLineage l) {
    ExposureEvent e = l.event();
    GenericData.Record g = new GenericData.Record(schema);
    g.put("merchant_id", e.merchantId());
    g.put("currency", e.currency());
    g.put("window_start", l.windowStart().getMillis());
    g.put("outcome", l.outcome().name());
    g.put("contribution_minor", l.contributionMinor());
    g.put("count_delta", l.countDelta());
    g.put("event_id", e.eventId());
    g.put("event_type", e.eventType().name());
    g.put("amount_minor", e.amountMinor());
    g.put("event_time", e.eventTime().getMillis());
    g.put("corrects_event_id", e.correctsEventId());
    g.put("schema_version", e.schemaVersion());
    g.put("acquirer_reference", e.acquirerReference());
    g.put("received_at", l.receivedAtMillis());
    g.put("source", l.source());
    g.put("other_source", l.otherSource());
    return g;
  }

  public static FactLineage fromAvro(GenericRecord g) {
    Object corrects = g.get("corrects_event_id");
    Object other = g.get("other_source");
    Object acquirer = g.get("acquirer_reference");
    ExposureEvent e =
        ExposureEvent.builder()
            .setEventId(g.get("event_id").toString())
            .setMerchantId(g.get("merchant_id").toString())
            .setEventType(EventType.valueOf(g.get("event_type").toString()))
            .setAmountMinor((Long) g.get("amount_minor"))
            .setCurrency(g.get("currency").toString())
            .setEventTime(new Instant((Long) g.get("event_time")))
            .setCorrectsEventId(corrects == null ? null : corrects.toString())
            .setSchemaVersion((Integer) g.get("schema_version"))
            .setAcquirerReference(acquirer == null ? null : acquirer.toString())
            .build();
    return FactLineage.of(
        e,
        g.get("source").toString(),
        (Long) g.get("received_at"),
        FactLineage.Outcome.valueOf(g.get("outcome").toString()),
        other == null ? null : other.toString(),
        new Instant((Long) g.get("window_start")));
  }
}
