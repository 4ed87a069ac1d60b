package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.graph.ProjectionRow;
import io.unifiedexposure.graph.ProjectionUpsert;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The upsert contract applied in batch: of all panes of a (merchant_id, currency, window_start),
 * keep the one with the highest pane_index. A replay's output has exactly one row per window.
 *
 * <p>Grouped by {@value #SHARDS} shards of the window key, each holding a map from window key to its
 * newest row, rather than by window key: on DirectRunner every key of a grouping becomes a bundle of
 * its own through every later step, and each bundle costs a fixed set-up (measured: about 2/3 of a
 * replay's time with one key per window).
 */
final class NewestPerWindow extends PTransform<PCollection<ProjectionRow>, PCollection<ProjectionRow>> {
  static final int SHARDS = 16;

  @Override
  public PCollection<ProjectionRow> expand(PCollection<ProjectionRow> panes) {
    return panes
        .apply(
            "IntoOneBatch",
            Window.<ProjectionRow>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("KeyByShard", ParDo.of(new KeyByShard()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ProjectionRow.coder()))
        .apply("HighestPanePerWindow", Combine.perKey(new Newest()))
        .apply("Rows", ParDo.of(new Rows()))
        .setCoder(ProjectionRow.coder());
  }

  static final class KeyByShard extends DoFn<ProjectionRow, KV<Integer, ProjectionRow>> {
    @ProcessElement
    public void process(@Element ProjectionRow r, OutputReceiver<KV<Integer, ProjectionRow>> out) {
      out.output(KV.of(Math.floorMod(ProjectionUpsert.key(r).hashCode(), SHARDS), r));
    }
  }

  /** Per shard: window key → the newest row of that window. */
  static final class Newest
      extends Combine.CombineFn<ProjectionRow, Map<String, ProjectionRow>, Map<String, ProjectionRow>> {
    @Override
    public Map<String, ProjectionRow> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, ProjectionRow> addInput(Map<String, ProjectionRow> acc, ProjectionRow row) {
      acc.merge(ProjectionUpsert.key(row), row, ProjectionUpsert::newer);
      return acc;
    }

    @Override
    public Map<String, ProjectionRow> mergeAccumulators(Iterable<Map<String, ProjectionRow>> accs) {
      Map<String, ProjectionRow> merged = createAccumulator();
      for (Map<String, ProjectionRow> acc : accs) {
        acc.forEach((k, row) -> merged.merge(k, row, ProjectionUpsert::newer));
      }
      return merged;
    }

    @Override
    public Map<String, ProjectionRow> extractOutput(Map<String, ProjectionRow> acc) {
      return acc;
    }

    @Override
    public Coder<Map<String, ProjectionRow>> getAccumulatorCoder(
        CoderRegistry registry, Coder<ProjectionRow> inputCoder) {
      return MapCoder.of(StringUtf8Coder.of(), ProjectionRow.coder());
    }

    @Override
    public Coder<Map<String, ProjectionRow>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<ProjectionRow> inputCoder) {
      return MapCoder.of(StringUtf8Coder.of(), ProjectionRow.coder());
    }
  }

  static final class Rows extends DoFn<KV<Integer, Map<String, ProjectionRow>>, ProjectionRow> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Map<String, ProjectionRow>> shard, OutputReceiver<ProjectionRow> out) {
      shard.getValue().values().forEach(out::output);
    }
  }
}
