package io.unifiedexposure.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.testing.Facts;
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
 * Bad input never crashes and is never lost: each malformed record reaches the dead-letter output
 * with its reasons and source, and records in == facts counted + duplicates + dead letters.
 */
class BadInputSpec {
  private static final String GOOD =
      "{\"event_id\":\"ok-1\",\"merchant_id\":\"m1\",\"event_type\":\"CAPTURE\",\"amount_minor\":500,"
          + "\"currency\":\"EUR\",\"event_time\":\"2025-07-01T10:15:30.123Z\",\"corrects_event_id\":null,\"schema_version\":1}";

  /** {payload, expected reason codes}. */
  private static final String[][] TABLE = {
    {"{not json", "record.malformed_json"},
    {"[1,2]", "record.not_an_object"},
    {GOOD.replace("\"ok-1\"", "\"bad-1\"").replace("\"currency\":\"EUR\",", ""), "currency.missing"},
    {GOOD.replace("\"ok-1\"", "\"bad-2\"").replace("500", "\"500\""), "amount_minor.wrong_type"},
    {GOOD.replace("\"ok-1\"", "\"bad-3\"").replace("CAPTURE", "PAYOUT"), "event_type.not_allowed"},
    {GOOD.replace("\"ok-1\"", "\"bad-4\"").replace("EUR", "eur"), "currency.pattern"},
    {GOOD.replace("\"ok-1\"", "\"bad-5\"").replace("500", "-5"), "amount_minor.negative"},
    {GOOD.replace("\"ok-1\"", "\"bad-6\"").replace("CAPTURE", "CORRECTION"), "corrects_event_id.missing"},
    {GOOD.replace("\"ok-1\"", "\"" + "x".repeat(129) + "\""), "event_id.too_long"},
    {GOOD.replace("\"ok-1\"", "\"bad-8\"").replace("\"schema_version\":1", "\"schema_version\":2"), "schema_version.not_allowed"},
    {GOOD.replace("\"ok-1\"", "\"bad-9\"").replace("2025-07-01T10:15:30.123Z", "2025-07-01 10:15"), "event_time.bad_format"},
    {GOOD.replace("\"ok-1\"", "\"bad-10\"").replace("EUR", "eur").replace("500", "-1"), "currency.pattern,amount_minor.negative"},
  };

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void everyBadRecordIsDeadLetteredWithItsReasonsAndNothingIsLost(SpecRunner runner) {
    List<RawRecord> input = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < TABLE.length; i++) {
      input.add(Facts.rawText(TABLE[i][0], "table#" + i));
      expected.add("table#" + i + " -> " + TABLE[i][1]);
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
    assertEquals(1, Counters.of(result, ExposureMetrics.FACTS_COUNTED));
    assertEquals(1, Counters.of(result, ExposureMetrics.DUPLICATES));
    assertEquals(TABLE.length, Counters.of(result, ExposureMetrics.DEAD_LETTERS));
    assertEquals(
        in,
        Counters.of(result, ExposureMetrics.FACTS_COUNTED)
            + Counters.of(result, ExposureMetrics.DUPLICATES)
            + Counters.of(result, ExposureMetrics.DEAD_LETTERS)
            + Counters.of(result, ExposureMetrics.BEYOND_LATENESS));
  }
}
