package io.unifiedexposure.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.VersionedFact;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import io.unifiedexposure.testing.RandomLimits;
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
 * Convergence of current exposure: for seeded random histories of facts, FX rate versions and
 * merchant limit versions (limits changed mid-day, corrected, copied, conflicting), all arriving at
 * random places (reference data never after its day closed), the newest current row per (merchant,
 * day) of the streaming run equals the bounded run of the same graph (fed every record shuffled)
 * equals a plain-Java oracle, the last row per merchant a topic keyed by merchant keeps is its last
 * day's, and the converted rows still equal theirs. A short window (3 days) so rows roll out
 * within the history. DirectRunner tries 3 seeds, FlinkRunner 1.
 */
class CurrentConvergenceSpec {
  private static final int DAYS = 3;
  private static final ExposureGraph GRAPH =
      ExposureGraph.create().withReportingCurrency(RandomRates.REPORTING).withCurrentDays(DAYS);

  static Stream<Arguments> trials() {
    return Stream.of(
        Arguments.of(SpecRunner.DIRECT, 21L),
        Arguments.of(SpecRunner.DIRECT, 22L),
        Arguments.of(SpecRunner.DIRECT, 23L),
        Arguments.of(SpecRunner.FLINK, 121L));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("trials")
  void currentRowsConvergeToTheBoundedRunAndTheOracle(SpecRunner runner, long seed) {
    RandomHistory history = RandomHistory.generate(seed, 150, 4, 5, GRAPH.grid());
    List<FxRate> rates = RandomRates.generate(seed, 5);
    List<MerchantLimit> limits = RandomLimits.generate(seed, 4, 5);
    Map<String, String> converted = Oracle.converted(history.arrivals, rates, GRAPH.grid(), RandomRates.REPORTING);
    Map<String, String> oracle = Oracle.current(converted, limits, DAYS);
    List<VersionedFact<?>> reference = new ArrayList<>(rates);
    reference.addAll(limits);

    TestPipeline live = runner.pipeline(true);
    ExposureOutputs liveOut = live.apply(history.testStream(reference, seed)).apply(GRAPH);
    PAssert.that(liveOut.current()).satisfies(new NewestCurrentRows(oracle));
    PAssert.that(liveOut.latestCurrent()).satisfies(NewestCurrentRows.latestPerMerchant(oracle));
    PAssert.that(liveOut.converted()).satisfies(new NewestConvertedRows(converted));
    PipelineResult liveRun = live.run();
    liveRun.waitUntilFinish();
    assertEquals(0, Counters.droppedByTheRunner(liveRun), "records the runner dropped as too late");

    List<RawRecord> all = new ArrayList<>(history.shuffledRawRecords(seed));
    reference.forEach(r -> all.add(r.toRaw()));
    Collections.shuffle(all, new Random(seed));
    TestPipeline replay = runner.pipeline(false);
    ExposureOutputs replayOut = replay.apply(Create.of(all).withCoder(RawRecord.coder())).apply(GRAPH);
    PAssert.that(replayOut.current()).satisfies(new NewestCurrentRows(oracle));
    PAssert.that(replayOut.latestCurrent()).satisfies(NewestCurrentRows.latestPerMerchant(oracle));
    replay.run().waitUntilFinish();
  }
}
