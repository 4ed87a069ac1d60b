package io.unifiedexposure.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Writes an event in the JSON wire form of the contract (the inverse of {@link EventDecoder}). */
public final class EventEncoder {
  private static final int EVENT_ID = RecordFields.slot("event_id");
  private static final int MERCHANT_ID = RecordFields.slot("merchant_id");
  private static final int EVENT_TYPE = RecordFields.slot("event_type");
  private static final int AMOUNT_MINOR = RecordFields.slot("amount_minor");
  private static final int CURRENCY = RecordFields.slot("currency");
  private static final int EVENT_TIME = RecordFields.slot("event_time");
  private static final int CORRECTS_EVENT_ID = RecordFields.slot("corrects_event_id");
  private static final int SCHEMA_VERSION = RecordFields.slot("schema_version");
  private static final int ACQUIRER_REFERENCE = RecordFields.slot("acquirer_reference");

  private EventEncoder() {}

  public static String toJson(ExposureEvent e) {
    return new String(toJsonBytes(e), StandardCharsets.UTF_8);
  }

  /** The wire form, written by the one writer of it ({@link RecordFields#toJson}). */
  public static byte[] toJsonBytes(ExposureEvent e) {
    return RecordFields.toJson(fields(e));
  }

  /**
   * The values of the event's wire form, one per contract field in contract order ({@link
   * RecordFields}): what {@link #toJsonBytes} writes, and what a typed source hands over for a record
   * written in exactly that form.
   */
  public static List<JsonNode> fields(ExposureEvent e) {
    JsonNode[] fields = new JsonNode[RecordFields.size()];
    fields[EVENT_ID] = TextNode.valueOf(e.eventId());
    fields[MERCHANT_ID] = TextNode.valueOf(e.merchantId());
    fields[EVENT_TYPE] = TextNode.valueOf(e.eventType().name());
    fields[AMOUNT_MINOR] = LongNode.valueOf(e.amountMinor());
    fields[CURRENCY] = TextNode.valueOf(e.currency());
    fields[EVENT_TIME] = InstantText.of(e.eventTime().getMillis());
    fields[CORRECTS_EVENT_ID] =
        e.correctsEventId() == null ? NullNode.instance : TextNode.valueOf(e.correctsEventId());
    fields[SCHEMA_VERSION] = IntNode.valueOf(e.schemaVersion());
    // Absent rather than null when not set: a version 1 record's wire form is what it was.
    fields[ACQUIRER_REFERENCE] = e.acquirerReference() == null ? null : TextNode.valueOf(e.acquirerReference());
    return Collections.unmodifiableList(Arrays.asList(fields));
  }

  /**
   * Whether typed values are exactly the event's wire form, {@code fields.equals(fields(e))},
   * decided slot by slot without building that form (building it, its instant printed, would
   * cost more than the comparison). {@code EventEncoderTest} checks both answers agree.
   */
  public static boolean isWireFormOf(List<JsonNode> fields, ExposureEvent e) {
    if (fields.size() != RecordFields.size()) {
      return false;
    }
    JsonNode time = fields.get(EVENT_TIME);
    JsonNode target = fields.get(CORRECTS_EVENT_ID);
    return isText(fields.get(EVENT_ID), e.eventId())
        && isText(fields.get(MERCHANT_ID), e.merchantId())
        && isText(fields.get(EVENT_TYPE), e.eventType().name())
        && fields.get(AMOUNT_MINOR) instanceof LongNode
        && fields.get(AMOUNT_MINOR).longValue() == e.amountMinor()
        && isText(fields.get(CURRENCY), e.currency())
        && isTime(time, e.eventTime().getMillis())
        && (e.correctsEventId() == null ? target instanceof NullNode : isText(target, e.correctsEventId()))
        && fields.get(SCHEMA_VERSION) instanceof IntNode
        && fields.get(SCHEMA_VERSION).intValue() == e.schemaVersion()
        && (e.acquirerReference() == null
            ? fields.get(ACQUIRER_REFERENCE) == null
            : isText(fields.get(ACQUIRER_REFERENCE), e.acquirerReference()));
  }

  /** Whether the node is the wire text of the instant: by its millis when it kept them. */
  private static boolean isTime(JsonNode node, long epochMillis) {
    return node instanceof InstantText
        ? ((InstantText) node).epochMillis() == epochMillis
        : node instanceof TextNode && IsoInstants.isFormatOf(node.textValue(), epochMillis);
  }

  private static boolean isText(JsonNode node, String text) {
    return node instanceof TextNode && node.textValue().equals(text);
  }

  /** ISO-8601 in UTC with milliseconds, e.g. {@code 2025-07-01T10:15:30.123Z}. */
  public static String isoUtc(long epochMillis) {
    return IsoInstants.format(epochMillis);
  }
}
