package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.EventEncoder;

/**
 * A fact that came after its window closed, on the wire: the window it belongs to, the event as
 * received and its source. Key: the projection key of that window, so a repair can find it.
 */
public final class BeyondLatenessRecords {
  private BeyondLatenessRecords() {}

  public static String kafkaKey(BeyondLateness b) {
    return ProjectionRecords.kafkaKey(
        b.event().merchantId(), b.event().currency(), b.windowStart().getMillis());
  }

  public static String toJson(BeyondLateness b) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("window_start", EventEncoder.isoUtc(b.windowStart().getMillis()));
    n.put("window_end", EventEncoder.isoUtc(b.windowEnd().getMillis()));
    n.set("event", Json.parse(EventEncoder.toJson(b.event())));
    n.put("source", b.raw().source());
    n.put("received_at", EventEncoder.isoUtc(b.raw().receivedAtMillis()));
    return Json.text(n);
  }
}
