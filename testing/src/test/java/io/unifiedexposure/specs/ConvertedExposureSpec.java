package io.unifiedexposure.specs;

import static io.unifiedexposure.specs.Rows.day;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.testing.Facts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
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
 * Converted daily exposure, one story per test, told with the watermark: the graph reports in EUR;
 * USD converts at the day's rate (100.00 USD at 0.9 is 90.00 EUR); one-day windows, three days of
 * lateness. Every story runs on DirectRunner and FlinkRunner and asserts what a consumer holds after
 * upserting (the newest converted row of the day, final) and the dead letters; the rows before it,
 * where the story is about them, on DirectRunner (on Flink a row can land one step later, with the
 * same final answer).
 */
class ConvertedExposureSpec {
  private static final ExposureGraph GRAPH = ExposureGraph.create().withReportingCurrency("EUR");
  private static final IntervalWindow JULY_1 = day("2025-07-01");

  private static final ExposureEvent USD_100 =
      Facts.capture("usd-1", "m1", 10_000, "USD").at("2025-07-01T10:00:00Z").build();
  private static final ExposureEvent EUR_5 =
      Facts.capture("eur-1", "m1", 500, "EUR").at("2025-07-01T11:00:00Z").build();
  private static final ExposureEvent JPY_1000 =
      Facts.capture("jpy-1", "m1", 1_000, "JPY").at("2025-07-01T12:00:00Z").build();

  private static long received = 1;

  private static TimestampedValue<RawRecord> arrives(ExposureEvent e) {
    long at = received++;
    return TimestampedValue.of(Facts.raw(e, "spec#" + at, at), e.eventTime());
  }

  /** A USD rate for July 1 arriving now from {@code source}. */
  private static TimestampedValue<RawRecord> usdRate(String rate, int version, String source) {
    long at = received++;
    return TimestampedValue.of(Facts.fxRate("USD", "EUR", "2025-07-01", rate, version, source, at), JULY_1.start());
  }

  private static TestStream.Builder<RawRecord> stream() {
    return TestStream.create(RawRecord.coder()).advanceWatermarkTo(JULY_1.start());
  }

  /** To {@code t}, then 1 ms after: the step reaches every stage on Flink too (as in ExposureGraphSpec). */
  private static TestStream.Builder<RawRecord> watermarkTo(TestStream.Builder<RawRecord> s, Instant t) {
    return s.advanceWatermarkTo(t).advanceWatermarkTo(t.plus(Duration.millis(1)));
  }

  private static Instant hour(String iso) {
    return Instant.parse(iso);
  }

  private static final Instant PAST_END = JULY_1.end().plus(Duration.standardHours(1));
  private static final Instant CLOSED = JULY_1.end().plus(Duration.standardDays(3)).plus(Duration.standardHours(1));

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void aRateArrivingAfterTheDaysOnTimePaneConvertsItLate(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(
                watermarkTo(
                        stream().addElements(arrives(USD_100), arrives(EUR_5)),
                        // The watermark passes the day's end: its on-time row, with no USD rate yet.
                        PAST_END)
                    // The day's USD rate comes a day later, within the lateness: a late row converts USD.
                    .addElements(usdRate("0.9", 1, "rates#1")),
                JULY_1.end().plus(Duration.standardDays(1)))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.converted())
          .satisfies(contains("500 over 2 facts, missing [USD], ON_TIME", "9500 over 2 facts, missing [], LATE"));
    }
    PAssert.that(out.converted()).satisfies(newest("9500 over 2 facts, missing [], final"));
    PAssert.that(out.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  /** DirectRunner only: Flink's TestStream cannot advance processing time, which early panes need. */
  @Test
  void earlyRowsSayWhichRateIsMissingUntilItArrives() {
    TestPipeline p = SpecRunner.DIRECT.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(
                stream()
                    .addElements(arrives(USD_100), arrives(EUR_5))
                    // A second to hand the facts on, then 31 s: the native early panes, and an early
                    // converted row that counts EUR and says USD has no rate yet.
                    .advanceProcessingTime(Duration.standardSeconds(1))
                    .advanceProcessingTime(Duration.standardSeconds(31))
                    .advanceWatermarkTo(hour("2025-07-01T12:00:00Z"))
                    .advanceProcessingTime(Duration.standardSeconds(31))
                    .advanceWatermarkTo(hour("2025-07-01T13:00:00Z"))
                    // The rate arrives: at once an early row with USD converted.
                    .addElements(usdRate("0.9", 1, "rates#1")),
                PAST_END)
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    PAssert.that(out.converted())
        .satisfies(
            contains(
                "500 over 2 facts, missing [USD], EARLY",
                "9500 over 2 facts, missing [], EARLY",
                "9500 over 2 facts, missing [], ON_TIME"));
    PAssert.that(out.converted()).satisfies(newest("9500 over 2 facts, missing [], final"));
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void aRateCorrectedAfterTheOnTimePaneRepublishesTheDayLate(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(
                watermarkTo(
                        stream().addElements(arrives(USD_100), arrives(EUR_5), usdRate("0.9", 1, "rates#1")),
                        // The watermark passes the day's end: the on-time row, at version 1.
                        PAST_END)
                    // Two days later the acquirer corrects the rate: version 2, within the lateness.
                    .addElements(usdRate("0.95", 2, "rates#2")),
                JULY_1.end().plus(Duration.standardDays(2)))
            // The day closes: its final row, at version 2.
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.converted())
          .satisfies(contains("9500 over 2 facts, missing [], ON_TIME", "10000 over 2 facts, missing [], LATE"));
    }
    PAssert.that(out.converted()).satisfies(newest("10000 over 2 facts, missing [], final"));
    PAssert.that(out.deadLetters()).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, Counters.of(result, ExposureMetrics.FX_RATES_SUPERSEDED), "version 1, superseded by 2");
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void aDayWithoutARateSaysWhichCurrencyLacksOneAndCountsItAsNothing(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(stream().addElements(arrives(USD_100), arrives(JPY_1000), usdRate("0.9", 1, "rates#1")), PAST_END)
            // No JPY rate ever comes; the day closes incomplete, and says so.
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    PAssert.that(out.converted()).satisfies(newest("9000 over 2 facts, missing [JPY], final"));
    // The native rows are as they always were.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
        Rows.row("m1", "USD", JULY_1, 10_000, 1, io.unifiedexposure.contract.PaneTiming.LATE, 1, true),
        Rows.row("m1", "JPY", JULY_1, 1_000, 1, io.unifiedexposure.contract.PaneTiming.LATE, 1, true)));
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void aRateReceivedAfterItsDayClosedIsDeadLetteredNotApplied(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(
                watermarkTo(stream().addElements(arrives(USD_100), usdRate("0.9", 1, "rates#1")), PAST_END),
                // End + 3 days: July 1 is closed, its final row published at 0.9.
                CLOSED)
            // A correction comes too late: beyond the lateness, refused with its reason, not applied.
            .addElements(usdRate("1.1", 2, "rates#late"))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    PAssert.that(out.converted()).satisfies(newest("9000 over 1 facts, missing [], final"));
    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder("rates#late -> record.beyond_lateness");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, Counters.of(result, ExposureMetrics.FX_RATES_BEYOND_LATENESS));
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void twoCopiesOfOneVersionWithDifferentRatesAreAConflictTheFirstReceivedWins(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> records =
        watermarkTo(
                stream()
                    .addElements(arrives(USD_100), usdRate("0.9", 1, "rates#first"))
                    // The same version again, saying another rate: a conflict; the first copy counts.
                    .addElements(usdRate("0.8", 1, "rates#second"))
                    // And an identical copy of the first: dropped.
                    .addElements(usdRate("0.9", 1, "rates#again")),
                PAST_END)
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    PAssert.that(out.converted()).satisfies(newest("9000 over 1 facts, missing [], final"));
    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder("rates#second -> rate.conflict");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, Counters.of(result, ExposureMetrics.FX_RATES_DUPLICATES));
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void aRateRecordThatBreaksTheContractIsDeadLetteredWithEveryReason(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    RawRecord bad =
        RawRecord.ofKind(
            io.unifiedexposure.contract.FactKind.FX_RATE,
            ("{\"currency\":\"usd\",\"reporting_currency\":\"GBP\",\"day\":\"2025-02-30\",\"rate\":\"0\","
                    + "\"version\":0,\"schema_version\":1}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "rates#bad",
            1L);
    TestStream<RawRecord> records =
        watermarkTo(stream().addElements(arrives(USD_100), TimestampedValue.of(bad, JULY_1.start())), PAST_END)
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(records).apply(GRAPH);

    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder(
            "rates#bad -> currency.pattern,day.bad_date,rate.not_positive,version.not_positive,reporting_currency.not_configured");
    PAssert.that(out.converted()).satisfies(newest("0 over 1 facts, missing [USD], final"));
    p.run().waitUntilFinish();
  }

  /** The newest row of m1's July 1 is {@code view} (as {@link NewestConvertedRows#view} writes it). */
  private static SerializableFunction<Iterable<ConvertedRow>, Void> newest(String view) {
    Map<String, String> expected = new TreeMap<>();
    expected.put("m1|" + JULY_1.start().getMillis(), view.replace(", final", ""));
    return new NewestConvertedRows(expected);
  }

  /** Among the rows, ones reading {@code "<exposure> over <n> facts, missing [..], <TIMING>"}. */
  private static SerializableFunction<Iterable<ConvertedRow>, Void> contains(String... views) {
    return rows -> {
      List<String> seen = new ArrayList<>();
      for (ConvertedRow r : rows) {
        seen.add(r.exposureMinor() + " over " + r.eventCount() + " facts, missing " + r.missingRates() + ", "
            + r.paneTiming());
      }
      for (String v : views) {
        assertTrue(seen.contains(v), "no row " + v + " among " + seen);
      }
      return null;
    };
  }
}
