package io.unifiedexposure.testing;

import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.WindowGrid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer without Beam: one HashMap pass over received copies. For each event_id the copy
 * received first counts (ties: lower fingerprint), as the graph's rule says; exposure is summed per
 * (merchant, currency, window start).
 */
public final class Oracle {
  private Oracle() {}

  /** A copy as received: the event and its receipt time. */
  public static final class Copy {
    public final ExposureEvent event;
    public final long receivedAtMillis;

    public Copy(ExposureEvent event, long receivedAtMillis) {
      this.event = event;
      this.receivedAtMillis = receivedAtMillis;
    }
  }

  /** Totals keyed {@code merchant|currency|windowStartMillis}, value {exposure, distinct facts}. */
  public static Map<String, long[]> totals(List<Copy> copies, WindowGrid grid) {
    Map<String, Copy> winners = new HashMap<>();
    for (Copy c : copies) {
      Copy w = winners.get(c.event.eventId());
      if (w == null || wins(c, w)) {
        winners.put(c.event.eventId(), c);
      }
    }
    Map<String, long[]> totals = new TreeMap<>();
    for (Copy c : winners.values()) {
      ExposureEvent e = c.event;
      String key =
          ProjectionUpsert.key(e.merchantId(), e.currency(), grid.windowStart(e.eventTime().getMillis()));
      long[] t = totals.computeIfAbsent(key, k -> new long[2]);
      t[0] += e.exposureDelta();
      t[1] += 1;
    }
    return totals;
  }

  private static boolean wins(Copy c, Copy w) {
    if (c.receivedAtMillis != w.receivedAtMillis) {
      return c.receivedAtMillis < w.receivedAtMillis;
    }
    long fc = c.event.fingerprint();
    long fw = w.event.fingerprint();
    return fc != fw && Long.compareUnsigned(fc, fw) < 0;
  }
}
