package io.unifiedexposure.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convergence: for seeded random histories (several merchants, currencies and days; ~5%
 * corrections, ~10% duplicates, ~2% conflicting copies), arriving in random order under random
 * watermark schedules that stay within the allowed lateness, the newest pane per key equals the
 * bounded run of the same graph (fed the copies in another random order) equals a plain-Java
 * oracle, with dedup spread over the default {@value ExposureGraph#DEFAULT_DEDUP_SHARDS} shards and
 * nothing dropped by the runner. DirectRunner tries 8 seeds, FlinkRunner 2 (each Flink run starts a
 * mini-cluster).
 */
class ConvergenceSpec {
  private static final ExposureGraph GRAPH = ExposureGraph.create();

  static Stream<Arguments> trials() {
    List<Arguments> trials = new ArrayList<>();
    for (long seed = 1; seed <= 8; seed++) {
      trials.add(Arguments.of(SpecRunner.DIRECT, seed));
    }
    trials.add(Arguments.of(SpecRunner.FLINK, 101L));
    trials.add(Arguments.of(SpecRunner.FLINK, 102L));
    return trials.stream();
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("trials")
  void livePanesConvergeToTheBoundedRunAndTheOracle(SpecRunner runner, long seed) {
    RandomHistory history = RandomHistory.generate(seed, 150, 4, 4, GRAPH.grid());
    Map<String, long[]> oracle = Oracle.totals(history.arrivals, GRAPH.grid());

    TestPipeline live = runner.pipeline(true);
    PAssert.that(live.apply(history.testStream()).apply(GRAPH).projections())
        .satisfies(new NewestRows(oracle));
    PipelineResult liveRun = live.run();
    liveRun.waitUntilFinish();
    assertEquals(0, Counters.droppedByTheRunner(liveRun), "facts the runner dropped as too late");

    // The same copies, bounded and shuffled: the runner meets conflicting copies in any order.
    List<RawRecord> shuffled = history.shuffledRawRecords(seed);
    TestPipeline replay = runner.pipeline(false);
    PAssert.that(replay.apply(Create.of(shuffled).withCoder(RawRecord.coder())).apply(GRAPH).projections())
        .satisfies(new NewestRows(oracle));
    replay.run().waitUntilFinish();
  }
}
