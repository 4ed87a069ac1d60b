package io.unifiedexposure.graph.bounded;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.graph.rules.Contribution;
import io.unifiedexposure.graph.rules.ToProjection;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;

/**
 * A fired pane of an aggregation shard's window: one row per (merchant, currency) summed in it,
 * each built by {@link ToProjection}, the same rule as the streaming path's.
 */
final class ProjectShardPane extends DoFn<KV<Integer, Map<ExposureKey, Contribution>>, ProjectionRow> {
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
