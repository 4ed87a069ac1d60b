package io.unifiedexposure.graph.rules;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.graph.ExposureMetrics;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * Turns a fired pane of a (merchant, currency) window into a projection row, and measures window
 * latency (on-time and final panes against the window end, on the processing clock). The streaming
 * path's pane holds one (merchant, currency), the bounded path's an aggregation shard's; both build
 * their rows here, by the same rules.
 *
 * <p>A first pane (pane_index 0) holding no fact is not published, only counted ({@value
 * ExposureMetrics#EMPTY_PANES_DROPPED}). Beam fires one when a window's timer comes due after the
 * window was garbage-collected (its state, pane count included, cleared): FlinkRunner delivers the
 * end-of-window and garbage-collection timers one by one, so one watermark step past both closes the
 * window twice, the second time with an empty final pane at pane_index 0, which ties with a real
 * pane 0 and, upserted after it, would set the window's exposure to zero. A window whose facts were
 * all withdrawn before it first fired yields the same row, and a consumer lacks nothing without it.
 */
public final class ToProjection implements Serializable {
  private final ExposureMetrics.Measured onTimeDelay = ExposureMetrics.measured(ExposureMetrics.ON_TIME_PANE_DELAY);
  private final ExposureMetrics.Measured finalDelay = ExposureMetrics.measured(ExposureMetrics.FINAL_PANE_DELAY);
  private final Gauge watermarkLag = ExposureMetrics.gauge(ExposureMetrics.WATERMARK_LAG);
  private final Gauge watermarkPassed = ExposureMetrics.gauge(ExposureMetrics.WATERMARK_PASSED);
  private final Counter emptyPanes = ExposureMetrics.counter(ExposureMetrics.EMPTY_PANES_DROPPED);
  private final Counter rows = ExposureMetrics.counter(ExposureMetrics.PROJECTION_ROWS);

  /** Measures the pane's delay once (it is one firing, however many rows it holds). */
  public void measure(IntervalWindow window, PaneInfo pane) {
    long delay = System.currentTimeMillis() - window.end().getMillis();
    if (PaneTiming.of(pane) == PaneTiming.ON_TIME) {
      onTimeDelay.update(delay);
      watermarkLag.set(delay);
      watermarkPassed.set(window.end().getMillis());
    }
    if (pane.isLast()) {
      finalDelay.update(delay);
    }
  }

  /** The row of one (merchant, currency) in a pane, or null for an empty first pane (counted). */
  public ProjectionRow row(ExposureKey key, Contribution total, IntervalWindow window, PaneInfo pane) {
    return row(key, total, window, pane, pane.isLast());
  }

  /** As {@link #row(ExposureKey, Contribution, IntervalWindow, PaneInfo)}, with finality decided by the caller. */
  public ProjectionRow row(ExposureKey key, Contribution total, IntervalWindow window, PaneInfo pane, boolean isFinal) {
    if (pane.getIndex() == 0 && total.eventCount() == 0) {
      emptyPanes.inc();
      return null;
    }
    rows.inc();
    return ProjectionRow.of(
        key.merchantId(),
        key.currency(),
        window.start(),
        window.end(),
        total.exposureMinor(),
        total.eventCount(),
        PaneTiming.of(pane),
        pane.getIndex(),
        isFinal);
  }
}
