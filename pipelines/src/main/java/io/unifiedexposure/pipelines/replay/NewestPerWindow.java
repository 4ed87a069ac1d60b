package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.graph.ProjectionRow;
import io.unifiedexposure.graph.ProjectionUpsert;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The upsert contract applied in batch: of all panes of a (merchant_id, currency, window_start),
 * keep the one with the highest pane_index. A replay's output has exactly one row per window.
 */
final class NewestPerWindow extends PTransform<PCollection<ProjectionRow>, PCollection<ProjectionRow>> {
  @Override
  public PCollection<ProjectionRow> expand(PCollection<ProjectionRow> panes) {
    return panes
        .apply(
            "IntoOneBatch",
            Window.<ProjectionRow>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("KeyByWindow", ParDo.of(new KeyByWindow()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ProjectionRow.coder()))
        .apply("HighestPane", Combine.perKey(new Newest()))
        .apply("Rows", Values.create());
  }

  static final class KeyByWindow extends DoFn<ProjectionRow, KV<String, ProjectionRow>> {
    @ProcessElement
    public void process(@Element ProjectionRow r, OutputReceiver<KV<String, ProjectionRow>> out) {
      out.output(KV.of(ProjectionUpsert.key(r), r));
    }
  }

  static final class Newest extends Combine.BinaryCombineFn<ProjectionRow> {
    @Override
    public ProjectionRow apply(ProjectionRow a, ProjectionRow b) {
      return ProjectionUpsert.newer(a, b);
    }
  }
}
