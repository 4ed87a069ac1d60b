package io.unifiedexposure.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Writes an event in the JSON wire form of the contract (the inverse of {@link EventDecoder}). */
public final class EventEncoder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventEncoder() {}

  public static String toJson(ExposureEvent e) {
    ObjectNode node = JSON.createObjectNode();
    node.put("event_id", e.eventId());
    node.put("merchant_id", e.merchantId());
    node.put("event_type", e.eventType().name());
    node.put("amount_minor", e.amountMinor());
    node.put("currency", e.currency());
    node.put("event_time", isoUtc(e.eventTime().getMillis()));
    if (e.correctsEventId() == null) {
      node.putNull("corrects_event_id");
    } else {
      node.put("corrects_event_id", e.correctsEventId());
    }
    node.put("schema_version", e.schemaVersion());
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  public static byte[] toJsonBytes(ExposureEvent e) {
    return toJson(e).getBytes(StandardCharsets.UTF_8);
  }

  /** ISO-8601 in UTC with milliseconds, e.g. {@code 2025-07-01T10:15:30.123Z}. */
  public static String isoUtc(long epochMillis) {
    return IsoInstants.format(epochMillis);
  }
}
