package io.unifiedexposure.graph;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;

/**
 * Turns one fired pane of a (merchant, currency) window into a projection row, and measures window
 * latency (on-time and final panes against the window end, on the processing clock).
 *
 * <p>A first pane (pane_index 0) holding no fact is not published, only counted ({@value
 * ExposureMetrics#EMPTY_PANES_DROPPED}). Beam fires one when a window's timer comes due after the
 * window was garbage-collected (its state, pane count included, cleared): FlinkRunner delivers the
 * end-of-window and garbage-collection timers one by one, so one watermark step past both closes the
 * window twice, the second time with an empty final pane at pane_index 0, which ties with a real
 * pane 0 and, upserted after it, would set the window's exposure to zero. A window whose facts were
 * all withdrawn before it first fired yields the same row, and a consumer lacks nothing without it.
 */
final class ToProjection extends DoFn<KV<ExposureKey, Contribution>, ProjectionRow> {
  private final Distribution onTimeDelay = ExposureMetrics.distribution(ExposureMetrics.ON_TIME_PANE_DELAY);
  private final Distribution finalDelay = ExposureMetrics.distribution(ExposureMetrics.FINAL_PANE_DELAY);
  private final Gauge watermarkLag = ExposureMetrics.gauge(ExposureMetrics.WATERMARK_LAG);
  private final Counter emptyPanes = ExposureMetrics.counter(ExposureMetrics.EMPTY_PANES_DROPPED);

  @ProcessElement
  public void process(
      @Element KV<ExposureKey, Contribution> total,
      IntervalWindow window,
      PaneInfo pane,
      OutputReceiver<ProjectionRow> out) {
    if (pane.getIndex() == 0 && total.getValue().eventCount() == 0) {
      emptyPanes.inc();
      return;
    }
    ExposureKey key = total.getKey();
    PaneTiming timing = PaneTiming.of(pane);
    long delay = System.currentTimeMillis() - window.end().getMillis();
    if (timing == PaneTiming.ON_TIME) {
      onTimeDelay.update(delay);
      watermarkLag.set(delay);
    }
    if (pane.isLast()) {
      finalDelay.update(delay);
    }
    out.output(
        ProjectionRow.of(
            key.merchantId(),
            key.currency(),
            window.start(),
            window.end(),
            total.getValue().exposureMinor(),
            total.getValue().eventCount(),
            timing,
            pane.getIndex(),
            pane.isLast()));
  }
}
