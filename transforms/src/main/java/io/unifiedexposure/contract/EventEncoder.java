package io.unifiedexposure.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes an event in the JSON wire form of the contract (the inverse of {@link EventDecoder}). */
public final class EventEncoder {
  private EventEncoder() {}

  public static String toJson(ExposureEvent e) {
    return new String(toJsonBytes(e), StandardCharsets.UTF_8);
  }

  /** The wire form, written by the one writer of it ({@link RecordFields#toJson}). */
  public static byte[] toJsonBytes(ExposureEvent e) {
    Map<String, JsonNode> byName = new HashMap<>();
    byName.put("event_id", TextNode.valueOf(e.eventId()));
    byName.put("merchant_id", TextNode.valueOf(e.merchantId()));
    byName.put("event_type", TextNode.valueOf(e.eventType().name()));
    byName.put("amount_minor", LongNode.valueOf(e.amountMinor()));
    byName.put("currency", TextNode.valueOf(e.currency()));
    byName.put("event_time", TextNode.valueOf(isoUtc(e.eventTime().getMillis())));
    byName.put(
        "corrects_event_id",
        e.correctsEventId() == null ? NullNode.instance : TextNode.valueOf(e.correctsEventId()));
    byName.put("schema_version", IntNode.valueOf(e.schemaVersion()));
    List<JsonNode> fields = new ArrayList<>(RecordFields.size());
    for (int slot = 0; slot < RecordFields.size(); slot++) {
      fields.add(byName.get(RecordFields.name(slot)));
    }
    return RecordFields.toJson(fields);
  }

  /** ISO-8601 in UTC with milliseconds, e.g. {@code 2025-07-01T10:15:30.123Z}. */
  public static String isoUtc(long epochMillis) {
    return IsoInstants.format(epochMillis);
  }
}
