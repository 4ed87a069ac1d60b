package io.unifiedexposure.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.testing.Facts;
import io.unifiedexposure.testing.HostileRecords;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input never crashes and is never lost: each of the battery's records ({@link HostileRecords})
 * reaches the dead-letter output with exactly its reasons and source, or counts when it is valid,
 * and records in == facts counted + duplicates + dead letters.
 */
class BadInputSpec {
  private static final String GOOD = HostileRecords.GOOD;
  private static final List<HostileRecords.Case> TABLE = HostileRecords.all();

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void everyBadRecordIsDeadLetteredWithItsReasonsAndNothingIsLost(SpecRunner runner) {
    List<RawRecord> input = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    long validCases = 0;
    for (int i = 0; i < TABLE.size(); i++) {
      HostileRecords.Case c = TABLE.get(i);
      input.add(c.raw("table#" + i));
      if (c.valid()) {
        validCases++;
      } else {
        expected.add("table#" + i + " -> " + c.codes);
      }
    }
    input.add(Facts.rawText(GOOD, "good#1"));
    input.add(Facts.rawText(GOOD, "good#2")); // identical copy: a duplicate, not a dead letter

    TestPipeline p = runner.pipeline(false);
    ExposureOutputs out =
        p.apply(Create.of(input).withCoder(RawRecord.coder())).apply(ExposureGraph.create());
    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder(expected);
    PipelineResult result = p.run();
    result.waitUntilFinish();

    long in = Counters.of(result, ExposureMetrics.RECORDS_IN);
    assertEquals(input.size(), in);
    assertEquals(1 + validCases, Counters.of(result, ExposureMetrics.FACTS_COUNTED));
    assertEquals(1, Counters.of(result, ExposureMetrics.DUPLICATES));
    assertEquals(TABLE.size() - validCases, Counters.of(result, ExposureMetrics.DEAD_LETTERS));
    assertEquals(
        in,
        Counters.of(result, ExposureMetrics.FACTS_COUNTED)
            + Counters.of(result, ExposureMetrics.DUPLICATES)
            + Counters.of(result, ExposureMetrics.DEAD_LETTERS)
            + Counters.of(result, ExposureMetrics.BEYOND_LATENESS));
  }
}
