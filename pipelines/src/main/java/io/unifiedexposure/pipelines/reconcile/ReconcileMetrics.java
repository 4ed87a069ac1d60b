package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.pipelines.Percentiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The health figures of a reconcile: rates from the replay's counters and the evidence, window
 * latency from the live panes' publish times, and freshness from the live watermark. Latency and
 * freshness are measured on the data's clock ({@link DataClock}): from when the input passed a
 * window's end (or the watermark), not from the event time itself, so history loaded after the fact
 * (a backlog, the demo's 2025 data sent today) measures the live job, not the data's age.
 */
final class ReconcileMetrics {
  private ReconcileMetrics() {}

  /**
   * @param counters the replay's graph counters (from its manifest; empty when unknown)
   * @param evidence evidence counts by cause
   * @param clock when the input passed each window's end (null: the event times themselves)
   * @param maxOutOfOrderness the live watermark's bound, for late windows
   * @param nowMillis the clock, for freshness
   */
  static Map<String, Object> of(LivePanes live, Reconciliation rec, Map<String, Long> counters,
      Map<Cause, Integer> evidence, @Nullable DataClock clock, long maxOutOfOrderness, long nowMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    long in = counters.getOrDefault(ExposureMetrics.RECORDS_IN, 0L);
    long invalid = evidence.getOrDefault(Cause.DEAD_LETTERS, 0);
    m.put("replay_records_in", in);
    m.put("duplicate_rate", rate(counters.getOrDefault(ExposureMetrics.DUPLICATES, 0L), in));
    m.put("conflict_rate", rate(counters.getOrDefault(ExposureMetrics.CONFLICTS, 0L), in));
    m.put("beyond_lateness_rate", rate(evidence.getOrDefault(Cause.BEYOND_LATENESS, 0), in));
    m.put("dead_letter_rate", rate(invalid + evidence.getOrDefault(Cause.CONFLICTS, 0), in + invalid));
    m.put("late_window_rate", clock == null ? null : clock.lateWindowRate(closedWindowEnds(live.rows), maxOutOfOrderness));
    List<Long> onTime = new ArrayList<>();
    List<Long> closed = new ArrayList<>();
    long ahead = 0;
    for (int i = 0; i < live.rows.size(); i++) {
      ProjectionRow r = live.rows.get(i);
      Long at = live.publishedAt.get(i);
      if (at == null || r.paneTiming() == PaneTiming.REPAIR) {
        continue;
      }
      long end = r.windowEnd().getMillis();
      long delay = at - (clock == null ? end : clock.at(end));
      if (r.paneTiming() != PaneTiming.EARLY) {
        // A pane past the watermark comes after the record that passed its end was received.
        ahead = Math.max(ahead, -delay);
      }
      if (r.paneTiming() == PaneTiming.ON_TIME) {
        onTime.add(delay);
      }
      if (r.isFinal()) {
        closed.add(delay);
      }
    }
    m.put("on_time_pane_delay_ms_p50", Percentiles.nearestRank(onTime, 50));
    m.put("on_time_pane_delay_ms_p99", Percentiles.nearestRank(onTime, 99));
    m.put("final_pane_delay_ms_p50", Percentiles.nearestRank(closed, 50));
    m.put("final_pane_delay_ms_p99", Percentiles.nearestRank(closed, 99));
    m.put("live_watermark_at_least",
        rec.liveWatermarkAtLeast == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(rec.liveWatermarkAtLeast).toString());
    long watermark = rec.liveWatermarkAtLeast;
    m.put("freshness_lag_ms", watermark == Long.MIN_VALUE ? null
        : nowMillis - (clock == null ? watermark : clock.at(watermark)));
    // Receipt times later than the publish times of panes they caused: the input's timestamps run
    // ahead of the live job's clock (a producer's clock, or stamps set ahead), and delays read short.
    m.put("receipt_clock_ahead_ms", clock == null ? null : ahead);
    return m;
  }

  /** The windows the live job closed (its newest own pane is final; repairs aside), by key, with their ends. */
  static Map<String, Long> closedWindowEnds(List<ProjectionRow> panes) {
    Map<String, Long> closed = new HashMap<>();
    List<ProjectionRow> fired = panes.stream().filter(p -> p.paneTiming() != PaneTiming.REPAIR).toList();
    for (ProjectionRow p : ProjectionUpsert.newest(fired).values()) {
      if (p.isFinal()) {
        closed.put(ProjectionUpsert.key(p), p.windowEnd().getMillis());
      }
    }
    return closed;
  }

  /** The metrics for a console line: rates as percentages, delays as durations. */
  static String readable(Map<String, Object> metrics) {
    StringBuilder b = new StringBuilder();
    metrics.forEach((k, v) -> {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(readableName(k)).append(' ').append(readableValue(k, v));
    });
    return b.toString();
  }

  /** A metric's name for people: without its unit suffix ({@code on_time_pane_delay_p50}). */
  static String readableName(String key) {
    return key.replace("_ms", "");
  }

  /** A metric's value for people: {@code 8.62%}, {@code 3h 12m}, {@code n/a}. */
  static String readableValue(String key, Object v) {
    if (v == null) {
      return "n/a";
    } else if (key.endsWith("_rate")) {
      return String.format("%.2f%%", 100 * (Double) v);
    } else if (key.endsWith("_ms") || key.contains("_ms_")) {
      return readableDuration((Long) v);
    } else if (v instanceof Long || v instanceof Integer) {
      return String.format("%,d", ((Number) v).longValue());
    }
    return String.valueOf(v);
  }

  /** A duration for people: {@code 505d 20h}, {@code 3h 12m}, {@code 2.9s}, {@code -150ms}. */
  static String readableDuration(long millis) {
    long abs = Math.abs(millis);
    String sign = millis < 0 ? "-" : "";
    if (abs >= 86_400_000L) {
      return sign + abs / 86_400_000L + "d " + abs % 86_400_000L / 3_600_000L + "h";
    }
    if (abs >= 3_600_000L) {
      return sign + abs / 3_600_000L + "h " + abs % 3_600_000L / 60_000L + "m";
    }
    if (abs >= 1000) {
      return sign + String.format("%.1fs", abs / 1000.0);
    }
    return sign + abs + "ms";
  }

  static Double rate(long part, long whole) {
    return whole == 0 ? null : (double) part / whole;
  }
}
