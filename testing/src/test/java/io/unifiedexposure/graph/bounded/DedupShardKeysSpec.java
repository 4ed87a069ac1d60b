package io.unifiedexposure.graph.bounded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.graph.ExposureGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.TestFlinkRunner;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dedup shard keys spread evenly over FlinkRunner's batch workers: the sixteen keys, grouped
 * as the bounded dedup groups its shard batches (integer keys, earliest timestamps), reach every
 * worker equally often. The worker is read from the name of the task thread that runs the step
 * after the grouping, e.g. {@code CHAIN GroupReduce (...) -> FlatMap (...) (3/4)#0}.
 */
class DedupShardKeysSpec {
  private static final int SHARDS = ExposureGraph.BOUNDED_DEDUP_SHARDS;

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {2, 4})
  void sixteenShardsFallEvenlyOnFlinkWorkers(int parallelism) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(TestFlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(parallelism);
    TestPipeline p = TestPipeline.fromOptions(options).enableAbandonedNodeEnforcement(false);

    List<KV<Integer, Integer>> keyed = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      keyed.add(KV.of(DedupShardKeys.of(shard), shard));
    }
    PCollection<KV<Integer, Integer>> workerOfShard =
        p.apply(Create.of(keyed).withCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
            .apply(
                Window.<KV<Integer, Integer>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
            .apply(GroupByKey.create())
            .apply(ParDo.of(new WorkerOfShard()))
            .setCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of()));

    PAssert.that(workerOfShard)
        .satisfies(
            pairs -> {
              Map<Integer, Integer> shardsPerWorker = new TreeMap<>();
              int seen = 0;
              for (KV<Integer, Integer> pair : pairs) {
                shardsPerWorker.merge(pair.getKey(), 1, Integer::sum);
                seen++;
              }
              Map<Integer, Integer> even = new TreeMap<>();
              for (int worker = 1; worker <= parallelism; worker++) {
                even.put(worker, SHARDS / parallelism);
              }
              assertEquals(SHARDS, seen, "every shard grouped once");
              assertEquals(even, shardsPerWorker, "shards per worker (1-based)");
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void everyShardUpToTheLimitHasAKeyOfItsOwn() {
    Set<Integer> keys = new HashSet<>();
    for (int shard = 0; shard < 4096; shard++) {
      assertTrue(keys.add(DedupShardKeys.of(shard)), "the key of shard " + shard + " is taken");
    }
  }

  /** (worker, shard) for each grouped key: the worker as Flink numbers its subtasks, from 1. */
  private static final class WorkerOfShard extends DoFn<KV<Integer, Iterable<Integer>>, KV<Integer, Integer>> {
    private static final Pattern SUBTASK = Pattern.compile("\\((\\d+)/(\\d+)\\)#\\d+$");

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Integer>> group, OutputReceiver<KV<Integer, Integer>> out) {
      Matcher m = SUBTASK.matcher(Thread.currentThread().getName());
      if (!m.find()) {
        throw new IllegalStateException("not a Flink task thread: " + Thread.currentThread().getName());
      }
      for (Integer shard : group.getValue()) {
        out.output(KV.of(Integer.parseInt(m.group(1)), shard));
      }
    }
  }
}
