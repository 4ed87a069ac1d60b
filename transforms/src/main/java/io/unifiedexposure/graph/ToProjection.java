package io.unifiedexposure.graph;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;

/** Turns one fired pane of a (merchant, currency) window into a projection row. */
final class ToProjection extends DoFn<KV<ExposureKey, Contribution>, ProjectionRow> {
  @ProcessElement
  public void process(
      @Element KV<ExposureKey, Contribution> total,
      IntervalWindow window,
      PaneInfo pane,
      OutputReceiver<ProjectionRow> out) {
    ExposureKey key = total.getKey();
    out.output(
        ProjectionRow.of(
            key.merchantId(),
            key.currency(),
            window.start(),
            window.end(),
            total.getValue().exposureMinor(),
            total.getValue().eventCount(),
            PaneTiming.of(pane),
            pane.getIndex(),
            pane.isLast()));
  }
}
