package io.unifiedexposure.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import io.unifiedexposure.testing.RandomRates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convergence of converted exposure: for seeded random histories of facts (duplicates, conflicts,
 * corrections) and of FX rate versions (missing rates, corrections, identical and conflicting
 * copies), rates arriving at random places among the facts (before their day's facts, between its
 * panes, after its on-time pane, never after it closed), the newest converted row per (merchant,
 * day) of the streaming run equals the bounded run of the same graph (fed every record shuffled)
 * equals a plain-Java oracle; and the native rows still equal theirs. DirectRunner tries 4 seeds,
 * FlinkRunner 1.
 */
class ConvertedConvergenceSpec {
  private static final ExposureGraph GRAPH = ExposureGraph.create().withReportingCurrency(RandomRates.REPORTING);

  static Stream<Arguments> trials() {
    return Stream.of(
        Arguments.of(SpecRunner.DIRECT, 11L),
        Arguments.of(SpecRunner.DIRECT, 12L),
        Arguments.of(SpecRunner.DIRECT, 13L),
        Arguments.of(SpecRunner.DIRECT, 14L),
        Arguments.of(SpecRunner.FLINK, 111L));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("trials")
  void convertedRowsConvergeToTheBoundedRunAndTheOracle(SpecRunner runner, long seed) {
    RandomHistory history = RandomHistory.generate(seed, 150, 4, 4, GRAPH.grid());
    List<FxRate> rates = RandomRates.generate(seed, 4);
    Map<String, String> oracle = Oracle.converted(history.arrivals, rates, GRAPH.grid(), RandomRates.REPORTING);
    Map<String, long[]> nativeOracle = Oracle.totals(history.arrivals, GRAPH.grid());

    TestPipeline live = runner.pipeline(true);
    ExposureOutputs liveOut = live.apply(history.testStream(rates, seed)).apply(GRAPH);
    PAssert.that(liveOut.converted()).satisfies(new NewestConvertedRows(oracle));
    PAssert.that(liveOut.projections()).satisfies(new NewestRows(nativeOracle));
    PipelineResult liveRun = live.run();
    liveRun.waitUntilFinish();
    assertEquals(0, Counters.droppedByTheRunner(liveRun), "records the runner dropped as too late");

    List<RawRecord> all = new ArrayList<>(history.shuffledRawRecords(seed));
    for (FxRate rate : rates) {
      all.add(rate.toRaw());
    }
    Collections.shuffle(all, new Random(seed));
    TestPipeline replay = runner.pipeline(false);
    ExposureOutputs replayOut = replay.apply(Create.of(all).withCoder(RawRecord.coder())).apply(GRAPH);
    PAssert.that(replayOut.converted()).satisfies(new NewestConvertedRows(oracle));
    PAssert.that(replayOut.projections()).satisfies(new NewestRows(nativeOracle));
    replay.run().waitUntilFinish();
  }
}
