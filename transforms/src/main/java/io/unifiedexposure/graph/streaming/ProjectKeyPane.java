package io.unifiedexposure.graph.streaming;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.graph.rules.Contribution;
import io.unifiedexposure.graph.rules.ToProjection;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;

/** A fired pane of one (merchant, currency) window: one row, built by {@link ToProjection}. */
final class ProjectKeyPane extends DoFn<KV<ExposureKey, Contribution>, ProjectionRow> {
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
