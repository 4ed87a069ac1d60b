package io.unifiedexposure.graph;

import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;

/**
 * Turns one fired pane of a (merchant, currency) window into a projection row, and measures window
 * latency (on-time and final panes against the window end, on the processing clock).
 */
final class ToProjection extends DoFn<KV<ExposureKey, Contribution>, ProjectionRow> {
  private final Distribution onTimeDelay = ExposureMetrics.distribution(ExposureMetrics.ON_TIME_PANE_DELAY);
  private final Distribution finalDelay = ExposureMetrics.distribution(ExposureMetrics.FINAL_PANE_DELAY);
  private final Gauge watermarkLag = ExposureMetrics.gauge(ExposureMetrics.WATERMARK_LAG);

  @ProcessElement
  public void process(
      @Element KV<ExposureKey, Contribution> total,
      IntervalWindow window,
      PaneInfo pane,
      OutputReceiver<ProjectionRow> out) {
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
