package io.unifiedexposure.specs;

import static io.unifiedexposure.specs.Rows.day;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.testing.Facts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Current exposure, one story per test, told with the watermark: the graph reports in EUR and a
 * current row sums 2 days; m1 has a limit of 100.00 EUR from before the story; one-day windows,
 * three days of lateness. Stories assert what a consumer holds after upserting each day's rows
 * (both runners) and, where the story is about them, the early rows (DirectRunner: early panes need
 * processing time, which Flink's TestStream cannot advance).
 */
class CurrentExposureSpec {
  private static final ExposureGraph GRAPH = ExposureGraph.create().withReportingCurrency("EUR").withCurrentDays(2);
  private static final IntervalWindow JULY_1 = day("2025-07-01");

  private static final ExposureEvent EUR_60 =
      Facts.capture("eur-60", "m1", 6_000, "EUR").at("2025-07-01T10:00:00Z").build();
  private static final ExposureEvent EUR_50 =
      Facts.capture("eur-50", "m1", 5_000, "EUR").at("2025-07-01T13:00:00Z").build();

  private static long received = 1;

  private static TimestampedValue<RawRecord> arrives(ExposureEvent e) {
    long at = received++;
    return TimestampedValue.of(Facts.raw(e, "spec#" + at, at), e.eventTime());
  }

  /** A limit for m1 taking effect at {@code from}, arriving now. */
  private static TimestampedValue<RawRecord> limit(String from, long minor, String source) {
    long at = received++;
    return TimestampedValue.of(Facts.limit("m1", from, minor, 1, source, at), Instant.parse(from));
  }

  private static TestStream.Builder<RawRecord> stream() {
    return TestStream.create(RawRecord.coder())
        .advanceWatermarkTo(JULY_1.start())
        .addElements(limit("2025-06-30T00:00:00Z", 10_000, "limits#1"));
  }

  private static TestStream.Builder<RawRecord> watermarkTo(TestStream.Builder<RawRecord> s, Instant t) {
    return s.advanceWatermarkTo(t).advanceWatermarkTo(t.plus(Duration.millis(1)));
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void aLimitRaisedMidDayHoldsForThatDayAndTheExposureRollsOutAfterTwoDays(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(
                watermarkTo(
                        watermarkTo(stream().addElements(arrives(EUR_60), arrives(EUR_50)),
                                Instant.parse("2025-07-01T14:00:00Z"))
                            // At 14:00 the limit is raised to 200.00 EUR: July 1's row holds it.
                            .addElements(limit("2025-07-01T14:00:00Z", 20_000, "limits#2")),
                        JULY_1.end().plus(Duration.standardDays(5)))
                    // Days later, a limit for June 20 (that day long closed): beyond lateness, not applied.
                    .addElements(limit("2025-06-20T00:00:00Z", 1, "limits#late")),
                JULY_1.end().plus(Duration.standardDays(6)))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    Map<String, String> expected = new TreeMap<>();
    // July 1: both facts, the raised limit; July 2: still July 1's facts (2 days); July 3: rolled out.
    expected.put("m1|" + JULY_1.start().getMillis(), "11000 over 2 facts, missing [], limit 20000");
    expected.put("m1|" + day("2025-07-02").start().getMillis(), "11000 over 2 facts, missing [], limit 20000");
    expected.put("m1|" + day("2025-07-03").start().getMillis(), "0 over 0 facts, missing [], limit 20000");
    PAssert.that(out.current()).satisfies(new NewestCurrentRows(expected));
    PAssert.that(out.latestCurrent()).satisfies(NewestCurrentRows.latestPerMerchant(expected));
    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder("limits#late -> record.beyond_lateness");
    p.run().waitUntilFinish();
  }

  /** DirectRunner only: early rows need processing time. */
  @Test
  void aFactPastTheLimitFlagsTheRowEarlyUntilTheLimitIsRaised() {
    TestPipeline p = SpecRunner.DIRECT.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(
                stream()
                    .addElements(arrives(EUR_60))
                    // The early panes: 60.00 EUR, under the 100.00 limit.
                    .advanceProcessingTime(Duration.standardSeconds(1))
                    .advanceProcessingTime(Duration.standardSeconds(31))
                    .advanceWatermarkTo(Instant.parse("2025-07-01T13:00:00Z"))
                    .addElements(arrives(EUR_50))
                    // 110.00 EUR: over the limit, payouts held.
                    .advanceProcessingTime(Duration.standardSeconds(1))
                    .advanceProcessingTime(Duration.standardSeconds(31))
                    .advanceWatermarkTo(Instant.parse("2025-07-01T13:30:00Z"))
                    .advanceProcessingTime(Duration.standardSeconds(31))
                    .advanceWatermarkTo(Instant.parse("2025-07-01T14:00:00Z"))
                    // The limit is raised from 14:00: at once the row is under it again.
                    .addElements(limit("2025-07-01T14:00:00Z", 20_000, "limits#2")),
                JULY_1.end().plus(Duration.standardHours(1)))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    PAssert.that(out.current()).satisfies(julyFirstPanes(
        "6000 limit 10000 EARLY",
        "11000 limit 10000 OVER EARLY",
        "11000 limit 20000 EARLY",
        "11000 limit 20000 ON_TIME"));
    p.run().waitUntilFinish();
  }

  /** July 1's rows in pane order, but the final one, as {@code "<exposure> limit <minor> [OVER] <TIMING>"}. */
  private static SerializableFunction<Iterable<CurrentRow>, Void> julyFirstPanes(String... views) {
    return rows -> {
      Map<Long, String> byPane = new TreeMap<>();
      for (CurrentRow r : rows) {
        if (r.asOfDay().equals(JULY_1.start()) && !r.isFinal()) {
          byPane.put(r.paneIndex(), r.exposureMinor() + " limit " + r.limitMinorOrNull()
              + (r.overLimit() ? " OVER " : " ") + r.paneTiming());
        }
      }
      assertEquals(List.of(views), new ArrayList<>(byPane.values()));
      return null;
    };
  }
}
