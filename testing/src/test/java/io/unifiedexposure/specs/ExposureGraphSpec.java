package io.unifiedexposure.specs;

import static io.unifiedexposure.contract.PaneTiming.EARLY;
import static io.unifiedexposure.contract.PaneTiming.LATE;
import static io.unifiedexposure.contract.PaneTiming.ON_TIME;
import static io.unifiedexposure.specs.Rows.day;
import static io.unifiedexposure.specs.Rows.row;
import static io.unifiedexposure.specs.Rows.t;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.graph.rules.RecordDecoding;
import io.unifiedexposure.testing.Facts;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The graph's pane semantics, one story per test, told with the watermark. Defaults throughout:
 * one-day windows, three days of allowed lateness, early panes 30 s after a pane's first fact.
 *
 * <p>Every story runs on DirectRunner and FlinkRunner and asserts, on both, what a consumer holds
 * after upserting (the newest row per key, final), the beyond-lateness output and the dead letters.
 * The dedup sums a shard's facts for a second of processing time (or until the watermark reaches
 * them) before the windows see them; the early-pane story that counts processing time to the second
 * hands facts on at once ({@code PRECOMBINE_OFF}), so the clock it narrates is the windows' alone.
 * The exact pane boundaries are asserted on DirectRunner: on Flink the dedup stage's watermark hold
 * is released one input watermark later, so a fact can land one pane later than narrated, with the
 * same final answer. The early-pane story is DirectRunner-only: Flink's TestStream cannot advance
 * processing time.
 */
class ExposureGraphSpec {
  private static final ExposureGraph GRAPH = ExposureGraph.create();
  private static final ExposureGraph PRECOMBINE_OFF = GRAPH.withPrecombineInterval(Duration.ZERO);
  private static final IntervalWindow JULY_1 = day("2025-07-01");
  private static final IntervalWindow JULY_2 = day("2025-07-02");

  private static final ExposureEvent CAPTURE_500 =
      Facts.capture("cap-1", "m1", 500, "EUR").at("2025-07-01T10:00:00Z").build();
  private static final ExposureEvent REFUND_200 =
      Facts.refund("ref-1", "m1", 200, "EUR").at("2025-07-01T11:00:00Z").build();
  private static final ExposureEvent CHARGEBACK_50 =
      Facts.chargeback("cb-1", "m1", 50, "EUR").at("2025-07-01T23:30:00Z").build();

  private static long received = 1;

  /** A copy of {@code e} arriving now, stamped with its event time as a source would. */
  private static TimestampedValue<RawRecord> arrives(ExposureEvent e) {
    long at = received++;
    return TimestampedValue.of(Facts.raw(e, "spec#" + at, at), e.eventTime());
  }

  private static TestStream.Builder<RawRecord> stream() {
    return TestStream.create(RawRecord.coder()).advanceWatermarkTo(JULY_1.start());
  }

  /**
   * Each watermark step below is written as "to X, then 1 ms after X". The dedup stage's clock holds
   * its output watermark while it moves; Flink re-evaluates that hold only on the next input
   * watermark, so the extra millisecond lets the step reach the windows before the next facts on
   * both runners (DirectRunner does not need it).
   */
  private static Instant justAfter(Instant t) {
    return t.plus(Duration.millis(1));
  }

  /**
   * The watermark passes July 1's end (its on-time pane), then end + 3 days: July 1 is closed, with
   * a final pane. (In one step from before the window's end, whether the on-time and the closing
   * pane are one pane or two is up to how the runner delivers the two timers: DirectRunner does
   * either.)
   */
  private static TestStream.Builder<RawRecord> closeJuly1(TestStream.Builder<RawRecord> stream) {
    Instant onTime = JULY_1.end().plus(Duration.standardHours(1));
    Instant closed = JULY_1.end().plus(Duration.standardDays(3)).plus(Duration.standardHours(1));
    return stream
        .advanceWatermarkTo(onTime)
        .advanceWatermarkTo(justAfter(onTime))
        .advanceWatermarkTo(closed)
        .advanceWatermarkTo(justAfter(closed));
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void onTimeFactsMakeOneOnTimePaneThenAFinalOne(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> facts =
        stream()
            .addElements(arrives(CAPTURE_500), arrives(REFUND_200))
            // The watermark passes the window end: the on-time pane fires with both facts.
            .advanceWatermarkTo(JULY_1.end().plus(Duration.standardHours(1)))
            .advanceWatermarkTo(justAfter(JULY_1.end().plus(Duration.standardHours(1))))
            // Then past end + allowed lateness: the window closes with a final pane.
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inOnTimePane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 300, 2, ON_TIME, 0, false));
    }
    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inFinalPane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 300, 2, LATE, 1, true));
    }
    PAssert.that(out.deadLetters()).empty();
    PAssert.that(out.beyondLateness()).empty();
    // What a consumer holds after upserting every pane, on every runner.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 300, 2, LATE, 1, true)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    // The on-time pane tells how far the watermark has come (the live heartbeat's on DirectRunner).
    assertEquals(JULY_1.end().getMillis(), Counters.gauge(result, ExposureMetrics.WATERMARK_PASSED));
  }

  @Test
  void speculativeEarlyPanesAccumulateBeforeTheWatermark() {
    TestPipeline p = SpecRunner.DIRECT.pipeline(true);
    TestStream<RawRecord> facts =
        stream()
          .addElements(arrives(CAPTURE_500))
          // 31 s of processing time after the pane's first fact: an early pane.
          .advanceProcessingTime(Duration.standardSeconds(31))
          .addElements(arrives(REFUND_200))
          .advanceProcessingTime(Duration.standardSeconds(31))
          // The watermark reaches the end of the window: the on-time pane.
          .addElements(arrives(CHARGEBACK_50))
          .advanceWatermarkTo(JULY_1.end())
          .advanceWatermarkTo(justAfter(JULY_1.end()))
          .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(PRECOMBINE_OFF);

    PAssert.that(out.projections())
        .inEarlyPane(JULY_1)
        .containsInAnyOrder(
            row("m1", "EUR", JULY_1, 500, 1, EARLY, 0, false),
            row("m1", "EUR", JULY_1, 300, 2, EARLY, 1, false));
    PAssert.that(out.projections())
        .inOnTimePane(JULY_1)
        .containsInAnyOrder(row("m1", "EUR", JULY_1, 350, 3, ON_TIME, 2, false));
    p.run().waitUntilFinish();
  }

  /**
   * A window whose last fact came before an early pane: nothing arrives after it, yet when the
   * watermark passes the window's end the window still publishes an ON_TIME row with the same total,
   * so the newest row of a window the watermark has passed is never EARLY. Then, at end + lateness,
   * the final row. The same whether the dedup hands each fact on at once or, the default, sums a
   * shard's facts for a second of processing time first: then the windows see the facts only once
   * the processing clock has moved, with no help from the watermark.
   */
  @ParameterizedTest
  @ValueSource(longs = {0, 1_000})
  void aWindowWhoseLastFactWasInAnEarlyPaneStillPublishesItsOnTimeRow(long precombineMillis) {
    TestPipeline p = SpecRunner.DIRECT.pipeline(true);
    TestStream<RawRecord> facts =
        stream()
          .addElements(arrives(CAPTURE_500), arrives(REFUND_200))
          // A second: a summing dedup hands both facts on as one sum. (Where in these steps
          // DirectRunner fires it is its own business: its test stream does not wait for every stage.)
          .advanceProcessingTime(Duration.standardSeconds(1))
          // 31 s of processing time after the pane's first fact: an early pane with both facts.
          .advanceProcessingTime(Duration.standardSeconds(31))
          .advanceProcessingTime(Duration.standardSeconds(31))
          .advanceProcessingTime(Duration.standardSeconds(31))
          // Nothing more arrives. The watermark passes the window end: the on-time pane, same total.
          .advanceWatermarkTo(JULY_1.end())
          .advanceWatermarkTo(justAfter(JULY_1.end()))
          // Past end + allowed lateness: the window closes.
          .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH.withPrecombineInterval(Duration.millis(precombineMillis)));

    PAssert.that(out.projections())
        .inEarlyPane(JULY_1)
        .containsInAnyOrder(row("m1", "EUR", JULY_1, 300, 2, EARLY, 0, false));
    PAssert.that(out.projections())
        .inOnTimePane(JULY_1)
        .containsInAnyOrder(row("m1", "EUR", JULY_1, 300, 2, ON_TIME, 1, false));
    PAssert.that(out.projections())
        .inFinalPane(JULY_1)
        .containsInAnyOrder(row("m1", "EUR", JULY_1, 300, 2, LATE, 2, true));
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void lateFactWithinLatenessMakesALatePaneWithTheCorrectedTotal(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> facts =
        stream()
            .addElements(arrives(CAPTURE_500))
            // On time: 500.
            .advanceWatermarkTo(JULY_1.end().plus(Duration.standardHours(6)))
            .advanceWatermarkTo(justAfter(JULY_1.end().plus(Duration.standardHours(6))))
            // Six hours after the window ended, the refund arrives: late, but within 3 days.
            .addElements(arrives(REFUND_200))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inOnTimePane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 500, 1, ON_TIME, 0, false));
    }
    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inWindow(JULY_1)
          .containsInAnyOrder(
              row("m1", "EUR", JULY_1, 500, 1, ON_TIME, 0, false),
              row("m1", "EUR", JULY_1, 300, 2, LATE, 1, false),
              row("m1", "EUR", JULY_1, 300, 2, LATE, 2, true));
    }
    PAssert.that(out.beyondLateness()).empty();
    // What a consumer holds after upserting every pane, on every runner.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 300, 2, LATE, 2, true)));
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void factBeyondLatenessLeavesProjectionsAndIsKeptWithItsWindow(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> facts =
        closeJuly1(stream().addElements(arrives(CAPTURE_500)))
            // A July 1 refund arrives now: too late to change any projection.
            .addElements(arrives(REFUND_200))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inFinalPane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 500, 1, LATE, 1, true));
    }
    PAssert.that(out.beyondLateness().apply(MapElements.via(new Rows.BeyondView())))
        .containsInAnyOrder("ref-1@" + JULY_1.start());
    PAssert.that(out.deadLetters()).empty();
    // What a consumer holds after upserting every pane, on every runner.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 500, 1, LATE, 1, true)));
    p.run().waitUntilFinish();
  }

  /**
   * Dedup runs on many shards (keys of event_id), and a shard that has never seen a fact knows
   * where the watermark is all the same: July 1 closes while every fact so far fell on another
   * shard; then a July 1 refund falls on a shard of its own. It goes to the beyond-lateness output,
   * like any fact for a closed window, and the runner drops nothing on its own.
   */
  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void aShardsVeryFirstFactForAClosedWindowGoesToBeyondLateness(SpecRunner runner) {
    RecordDecoding shards = new RecordDecoding(GRAPH.dedupShards());
    ExposureEvent lateRefund = REFUND_200;
    for (int i = 2; shards.shardOf(lateRefund) == shards.shardOf(CAPTURE_500); i++) {
      lateRefund = REFUND_200.toBuilder().setEventId("ref-" + i).build();
    }
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> facts =
        closeJuly1(stream().addElements(arrives(CAPTURE_500)))
            // The first fact its shard ever sees, for the closed window.
            .addElements(arrives(lateRefund))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    PAssert.that(out.beyondLateness().apply(MapElements.via(new Rows.BeyondView())))
        .containsInAnyOrder(lateRefund.eventId() + "@" + JULY_1.start());
    PAssert.that(out.deadLetters()).empty();
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 500, 1, LATE, 1, true)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, Counters.of(result, ExposureMetrics.BEYOND_LATENESS));
    assertEquals(0, Counters.droppedByTheRunner(result));
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void duplicatesCountOnceOnTimeLateAndAfterTheOnTimePane(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    TestStream<RawRecord> facts =
        stream()
            // The same capture twice on time.
            .addElements(arrives(CAPTURE_500), arrives(CAPTURE_500))
            .advanceWatermarkTo(JULY_1.end().plus(Duration.standardHours(1)))
            .advanceWatermarkTo(justAfter(JULY_1.end().plus(Duration.standardHours(1))))
            // After the on-time pane: the capture again, and a new late refund with its duplicate.
            .addElements(arrives(CAPTURE_500))
            .addElements(arrives(REFUND_200), arrives(REFUND_200))
            .advanceWatermarkTo(JULY_1.end().plus(Duration.standardDays(1)))
            .advanceWatermarkTo(justAfter(JULY_1.end().plus(Duration.standardDays(1))))
            .addElements(arrives(REFUND_200))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inOnTimePane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 500, 1, ON_TIME, 0, false));
    }
    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inFinalPane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 300, 2, LATE, 2, true));
    }
    PAssert.that(out.deadLetters()).empty();
    // What a consumer holds after upserting every pane, on every runner.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 300, 2, LATE, 2, true)));
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void correctionAfterTheOnTimePaneUpdatesItsWindow(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    ExposureEvent correction = Facts.correction("corr-1", CAPTURE_500, -120).build();
    TestStream<RawRecord> facts =
        stream()
            .addElements(arrives(CAPTURE_500))
            .advanceWatermarkTo(JULY_2.end())
            .advanceWatermarkTo(justAfter(JULY_2.end()))
            // Two days later a correction of the July 1 capture: it carries July 1's event time.
            .addElements(arrives(correction))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inOnTimePane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 500, 1, ON_TIME, 0, false));
    }
    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inFinalPane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 380, 2, LATE, 2, true));
    }
    // What a consumer holds after upserting every pane, on every runner.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 380, 2, LATE, 2, true)));
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void outOfOrderArrivalAcrossWindowsLandsInEachFactsOwnWindow(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    ExposureEvent july2 = Facts.capture("cap-2", "m1", 900, "EUR").at("2025-07-02T08:00:00Z").build();
    ExposureEvent july2Usd = Facts.capture("cap-3", "m1", 40, "USD").at("2025-07-02T09:00:00Z").build();
    TestStream<RawRecord> facts =
        stream()
            // July 2 arrives before July 1; the watermark still trails both.
            .addElements(arrives(july2), arrives(july2Usd))
            .addElements(arrives(REFUND_200), arrives(CAPTURE_500))
            .advanceWatermarkTo(JULY_2.end())
            .advanceWatermarkTo(justAfter(JULY_2.end()))
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inOnTimePane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 300, 2, ON_TIME, 0, false));
    }
    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inOnTimePane(JULY_2)
          .containsInAnyOrder(
              row("m1", "EUR", JULY_2, 900, 1, ON_TIME, 0, false),
              row("m1", "USD", JULY_2, 40, 1, ON_TIME, 0, false));
    }
    // What a consumer holds after upserting every pane, on every runner.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 300, 2, ON_TIME, 0, true),
                row("m1", "EUR", JULY_2, 900, 1, ON_TIME, 0, true),
                row("m1", "USD", JULY_2, 40, 1, ON_TIME, 0, true)));
    p.run().waitUntilFinish();
  }

  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void conflictingCopyIsDeadLetteredAndTheFirstReceivedCounts(SpecRunner runner) {
    TestPipeline p = runner.pipeline(true);
    ExposureEvent tampered = CAPTURE_500.toBuilder().setAmountMinor(9_999).build();
    TimestampedValue<RawRecord> first = arrives(CAPTURE_500);
    TimestampedValue<RawRecord> second = arrives(tampered);
    TestStream<RawRecord> facts =
        stream()
            .addElements(first, second)
            // The watermark passes the window end: the on-time pane, with the first copy only.
            .advanceWatermarkTo(JULY_1.end().plus(Duration.standardHours(1)))
            .advanceWatermarkTo(justAfter(JULY_1.end().plus(Duration.standardHours(1))))
            // Then past end + allowed lateness: the final pane as the window closes. (One jump
            // straight to the end of time could make a single ON_TIME pane final on DirectRunner.)
            .advanceWatermarkToInfinity();

    ExposureOutputs out = p.apply(facts).apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      PAssert.that(out.projections())
          .inFinalPane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 500, 1, LATE, 1, true));
    }
    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder(second.getValue().source() + " -> event_id.conflict");
    // What a consumer holds after upserting every pane, on every runner.
    PAssert.that(out.projections()).satisfies(NewestRows.of(
                row("m1", "EUR", JULY_1, 500, 1, LATE, 1, true)));
    p.run().waitUntilFinish();
  }

  /**
   * A replay (bounded input) meets copies in whatever order the runner reads them: here the
   * tampered copy, received later, comes first, with an identical copy of it and of the original.
   * The copy received first still counts, once; both tampered copies are dead-lettered as conflicts,
   * and the original's identical copy is a duplicate. The window has one ON_TIME pane, final.
 * (Judging copies one by one in this order would count the second tampered copy as a duplicate of
 * the first and dead-letter only one of them.)
   */
  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void replayCountsTheFirstReceivedCopyWhateverOrderItMeetsThem(SpecRunner runner) {
    TestPipeline p = runner.pipeline(false);
    ExposureEvent tampered = CAPTURE_500.toBuilder().setAmountMinor(9_999).build();
    RawRecord original = Facts.raw(CAPTURE_500, "archive#1", 1);
    RawRecord originalAgain = Facts.raw(CAPTURE_500, "archive#2", 2);
    RawRecord tamperedLater = Facts.raw(tampered, "archive#3", 3);
    RawRecord tamperedAgain = Facts.raw(tampered, "archive#4", 4);

    ExposureOutputs out =
        p.apply(Create.of(tamperedLater, tamperedAgain, originalAgain, original)
                .withCoder(RawRecord.coder()))
            .apply(GRAPH);

    if (runner == SpecRunner.DIRECT) {
      // FlinkRunner's batch mode fires each window once too, without pane metadata.
      PAssert.that(out.projections())
          .inOnTimePane(JULY_1)
          .containsInAnyOrder(row("m1", "EUR", JULY_1, 500, 1, ON_TIME, 0, true));
    }
    PAssert.that(out.projections()).satisfies(NewestRows.of(
        row("m1", "EUR", JULY_1, 500, 1, ON_TIME, 0, true)));
    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder("archive#3 -> event_id.conflict", "archive#4 -> event_id.conflict");
    p.run().waitUntilFinish();
  }

  /**
   * A replay that meets a losing copy first, in a window of its own: tampered copies of two facts,
   * received after the originals, carry another merchant and day. One is listed before its
   * original, one after. Both tampered copies are dead-lettered as conflicts, and neither their
   * merchant nor their day gets a row, whichever copy of a fact the runner meets first.
   */
  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void replayGivesNoRowWhereOnlyALosingCopyFell(SpecRunner runner) {
    TestPipeline p = runner.pipeline(false);
    Instant nextDay = JULY_2.start().plus(Duration.standardHours(9));
    ExposureEvent tamperedCapture = CAPTURE_500.toBuilder().setMerchantId("m9").setEventTime(nextDay).build();
    ExposureEvent tamperedRefund = REFUND_200.toBuilder().setMerchantId("m9").setEventTime(nextDay).build();

    ExposureOutputs out =
        p.apply(Create.of(
                    Facts.raw(tamperedCapture, "archive#1", 2),
                    Facts.raw(CAPTURE_500, "archive#2", 1),
                    Facts.raw(REFUND_200, "archive#3", 1),
                    Facts.raw(tamperedRefund, "archive#4", 2))
                .withCoder(RawRecord.coder()))
            .apply(GRAPH);

    PAssert.that(out.projections()).satisfies(NewestRows.of(
        row("m1", "EUR", JULY_1, 300, 2, ON_TIME, 0, true)));
    PAssert.that(out.deadLetters().apply(MapElements.via(new Rows.DeadLetterView())))
        .containsInAnyOrder("archive#1 -> event_id.conflict", "archive#4 -> event_id.conflict");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(2, Counters.of(result, ExposureMetrics.FACTS_COUNTED));
    assertEquals(2, Counters.of(result, ExposureMetrics.CONFLICTS));
    // The taken-back copies' merchant and day reach no window, not even as an empty pane.
    assertEquals(0, Counters.of(result, ExposureMetrics.EMPTY_PANES_DROPPED));
  }

  /**
   * A replay fires each window once, on time, however long the runner takes over it: here early
   * panes are due 1 ms after a pane's first fact, and 600 facts of 3 merchants over 5 days reach
   * the window sums in 16 dedup shards, one bundle after another on DirectRunner. Live, that delay
   * would fire early panes between the bundles; a bounded input is complete before the watermark
   * passes any window, so each of the 15 windows gets one row, ON_TIME and final, with its total.
   */
  @ParameterizedTest
  @EnumSource(SpecRunner.class)
  void replayFiresEachWindowOnceOnTimeHoweverSlowlyItRuns(SpecRunner runner) {
    TestPipeline p = runner.pipeline(false);
    List<RawRecord> records = new ArrayList<>();
    List<ProjectionRow> expected = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      for (int d = 0; d < 5; d++) {
        IntervalWindow window = day("2025-07-0" + (d + 1));
        for (int i = 0; i < 40; i++) {
          Instant at = window.start().plus(Duration.standardMinutes(30L * i));
          ExposureEvent fact = Facts.capture("e-" + m + "-" + d + "-" + i, "m" + m, 10, "EUR").at(at.toString()).build();
          records.add(Facts.raw(fact, "archive#" + records.size(), records.size()));
        }
        expected.add(row("m" + m, "EUR", window, 400, 40, ON_TIME, 0, true));
      }
    }

    ExposureOutputs out =
        p.apply(Create.of(records).withCoder(RawRecord.coder()))
            .apply(GRAPH.withEarlyFiringDelay(Duration.millis(1)));

    PAssert.that(out.projections()).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
