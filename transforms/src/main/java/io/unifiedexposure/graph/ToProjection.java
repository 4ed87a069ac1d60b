package io.unifiedexposure.graph;

import java.io.Serializable;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;

/**
 * Turns a fired pane of a (merchant, currency) window into a projection row, and measures window
 * latency (on-time and final panes against the window end, on the processing clock). {@link
 * PerKey} takes a pane of one (merchant, currency); {@link PerShard} a pane of an aggregation shard
 * (bounded input, see {@link ExposureGraph}), one row per (merchant, currency) in it. Both build
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
final class ToProjection implements Serializable {
  private final Distribution onTimeDelay = ExposureMetrics.distribution(ExposureMetrics.ON_TIME_PANE_DELAY);
  private final Distribution finalDelay = ExposureMetrics.distribution(ExposureMetrics.FINAL_PANE_DELAY);
  private final Gauge watermarkLag = ExposureMetrics.gauge(ExposureMetrics.WATERMARK_LAG);
  private final Counter emptyPanes = ExposureMetrics.counter(ExposureMetrics.EMPTY_PANES_DROPPED);

  /** Measures the pane's delay once (it is one firing, however many rows it holds). */
  void measure(IntervalWindow window, PaneInfo pane) {
    long delay = System.currentTimeMillis() - window.end().getMillis();
    if (PaneTiming.of(pane) == PaneTiming.ON_TIME) {
      onTimeDelay.update(delay);
      watermarkLag.set(delay);
    }
    if (pane.isLast()) {
      finalDelay.update(delay);
    }
  }

  /** The row of one (merchant, currency) in a pane, or null for an empty first pane (counted). */
  ProjectionRow row(ExposureKey key, Contribution total, IntervalWindow window, PaneInfo pane) {
    if (pane.getIndex() == 0 && total.eventCount() == 0) {
      emptyPanes.inc();
      return null;
    }
    return ProjectionRow.of(
        key.merchantId(),
        key.currency(),
        window.start(),
        window.end(),
        total.exposureMinor(),
        total.eventCount(),
        PaneTiming.of(pane),
        pane.getIndex(),
        pane.isLast());
  }

  /** A pane of one (merchant, currency) window: one row. */
  static final class PerKey extends DoFn<KV<ExposureKey, Contribution>, ProjectionRow> {
    private final ToProjection rows = new ToProjection();

    @ProcessElement
    public void process(
        @Element KV<ExposureKey, Contribution> total,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<ProjectionRow> out) {
      ProjectionRow row = rows.row(total.getKey(), total.getValue(), window, pane);
      if (row != null) {
        rows.measure(window, pane);
        out.output(row);
      }
    }
  }

  /** A pane of an aggregation shard's window: one row per (merchant, currency) summed in it. */
  static final class PerShard extends DoFn<KV<Integer, Map<ExposureKey, Contribution>>, ProjectionRow> {
    private final ToProjection rows = new ToProjection();

    @ProcessElement
    public void process(
        @Element KV<Integer, Map<ExposureKey, Contribution>> totals,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<ProjectionRow> out) {
      boolean any = false;
      for (Map.Entry<ExposureKey, Contribution> e : totals.getValue().entrySet()) {
        ProjectionRow row = rows.row(e.getKey(), e.getValue(), window, pane);
        if (row != null) {
          any = true;
          out.output(row);
        }
      }
      if (any) {
        rows.measure(window, pane);
      }
    }
  }
}
