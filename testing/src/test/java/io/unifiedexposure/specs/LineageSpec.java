package io.unifiedexposure.specs;

import static org.junit.Assert.assertEquals;

import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lineage is the graph's own account of its sums: for a seeded random history (duplicates,
 * conflicting copies, corrections, out-of-order arrival), on either path and runner, every valid
 * copy gets one outcome (a displaced winner one more, WITHDRAWN), and per window the counted and
 * withdrawn contributions sum to the oracle's total and fact count, the same totals the projections
 * converge to ({@link ConvergenceSpec}).
 */
class LineageSpec {
  private static final ExposureGraph GRAPH = ExposureGraph.create().withLineageOutput();

  static Stream<Arguments> trials() {
    List<Arguments> trials = new ArrayList<>();
    for (SpecRunner runner : SpecRunner.values()) {
      trials.add(Arguments.of(runner, true));
      trials.add(Arguments.of(runner, false));
    }
    return trials.stream();
  }

  @ParameterizedTest(name = "{0} streaming={1}")
  @MethodSource("trials")
  void lineageSumsToTheAnswerAndNamesEveryCopy(SpecRunner runner, boolean streaming) {
    RandomHistory history = RandomHistory.generate(17, 150, 3, 4, GRAPH.grid());
    Map<String, long[]> oracle = Oracle.totals(history.arrivals, GRAPH.grid());

    TestPipeline p = runner.pipeline(streaming);
    ExposureOutputs out =
        streaming
            ? p.apply(history.testStream()).apply(GRAPH)
            : p.apply(Create.of(history.shuffledRawRecords(17)).withCoder(RawRecord.coder())).apply(GRAPH);
    PAssert.that(out.lineage()).satisfies(new SumsTo(oracle, history.arrivals.size()));
    p.run().waitUntilFinish();
  }

  /** Per window, the lineage's contributions equal the expected totals; one outcome per copy. */
  private static final class SumsTo implements SerializableFunction<Iterable<FactLineage>, Void> {
    private final Map<String, String> expected = new TreeMap<>();
    private final int copies;

    SumsTo(Map<String, long[]> totals, int copies) {
      totals.forEach((k, v) -> expected.put(k, v[0] + " over " + v[1] + " facts"));
      this.copies = copies;
    }

    @Override
    public Void apply(Iterable<FactLineage> lineage) {
      Map<String, long[]> sums = new TreeMap<>();
      int outcomes = 0;
      for (FactLineage l : lineage) {
        if (l.outcome() != FactLineage.Outcome.WITHDRAWN) {
          outcomes++;
        }
        long[] s =
            sums.computeIfAbsent(
                ProjectionUpsert.key(l.event().merchantId(), l.event().currency(), l.windowStart().getMillis()),
                k -> new long[2]);
        s[0] += l.contributionMinor();
        s[1] += l.countDelta();
      }
      Map<String, String> actual = new TreeMap<>();
      sums.forEach((k, v) -> actual.put(k, v[0] + " over " + v[1] + " facts"));
      assertEquals("one outcome per valid copy", copies, outcomes);
      assertEquals(expected, actual);
      return null;
    }
  }
}
