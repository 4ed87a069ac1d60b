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
 *
 * <p>Bounded input is complete: a window's on-time pane holds every fact of it, so its row is final.
 * The runner says so ({@link PaneInfo#isLast()}) only when its watermark passed the window's expiry
 * in the same step as its end, which DirectRunner does not always do (it moves a bounded input's
 * watermark in steps, and then closes the window with no pane since nothing came after): its one
 * row read "not final" now and then ({@code ConvergenceSpec}). That no fact comes after the on-time
 * pane is checked where a replay's rows are (one row per window: {@code ReplaySpec}).
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
      ProjectionRow row = rows.row(e.getKey(), e.getValue(), window, pane,
          pane.isLast() || pane.getTiming() == PaneInfo.Timing.ON_TIME);
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
