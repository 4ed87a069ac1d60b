package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.closed;
import static io.unifiedexposure.pipelines.reconcile.Rows.day;
import static io.unifiedexposure.pipelines.reconcile.Rows.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Converted days compared, one case per class and cause, and their repair planned with native windows. */
class ConvertedReconcilerTest {
  private final List<ProjectionRow> nativeLive = new ArrayList<>();
  private final List<ProjectionRow> nativeReplay = new ArrayList<>();
  private final List<ConvertedRow> live = new ArrayList<>();
  private final List<ConvertedRow> replay = new ArrayList<>();
  private final LateFxRates late = new LateFxRates();

  private static ConvertedRow row(String merchant, int day, long exposure, List<String> missing, PaneTiming timing,
      long pane, boolean isFinal) {
    return ConvertedRow.of(merchant, "EUR", new Instant(day(day)), new Instant(day(day) + Rows.DAY), exposure, 3,
        List.of("EUR", "USD"), missing, timing, pane, isFinal);
  }

  /** The native windows of July 1, live as the replay, so the live watermark is known to be past it. */
  private void nativeDay(String merchant, int day) {
    nativeLive.add(closed(merchant, "EUR", day, 10, 1));
    nativeReplay.add(replay(merchant, "EUR", day, 10, 1));
  }

  private List<ConvertedVerdict> compare() {
    Reconciliation rec = new Reconciler(Duration.standardDays(3), BackfillRange.all())
        .compare(nativeLive, nativeReplay, new EvidenceIndex());
    return new ConvertedReconciler(Duration.standardDays(3), BackfillRange.all()).compare(live, replay, rec, late);
  }

  @Test
  void aFinalLiveRowEqualToTheReplaysMatchesAndOneNotFinalIsOpen() {
    nativeDay("a", 1);
    nativeDay("b", 1);
    live.add(row("a", 1, 900, List.of(), PaneTiming.LATE, 7, true));
    replay.add(row("a", 1, 900, List.of(), PaneTiming.ON_TIME, 0, true));
    live.add(row("b", 1, 400, List.of(), PaneTiming.LATE, 3, false));
    replay.add(row("b", 1, 500, List.of(), PaneTiming.ON_TIME, 0, true));
    List<ConvertedVerdict> v = compare();
    assertEquals(WindowVerdict.Kind.MATCH, v.get(0).kind);
    assertEquals(WindowVerdict.Kind.OPEN, v.get(1).kind);
    assertNull(v.get(1).cause);
  }

  @Test
  void aRateLiveRefusedAsLateExplainsTheDaysOfItsCurrency() {
    nativeDay("a", 1);
    live.add(row("a", 1, 900, List.of(), PaneTiming.LATE, 7, true));
    replay.add(row("a", 1, 950, List.of(), PaneTiming.ON_TIME, 0, true));
    assertTrue(late.offer("{\"currency\":\"USD\",\"reporting_currency\":\"EUR\",\"day\":\"2025-07-01\",\"rate\":\"0.5\","
        + "\"version\":3,\"schema_version\":1}", List.of(LateFxRates.CODE), "kafka:rates/0@9"));
    ConvertedVerdict v = compare().get(0);
    assertEquals(WindowVerdict.Kind.VALUE_DRIFT, v.kind);
    assertEquals(ConvertedVerdict.Cause.RATE_BEYOND_LATENESS, v.cause);
    assertEquals(List.of("USD 2025-07-01 version 3 (0.5) from kafka:rates/0@9 reached live after the day closed"),
        v.evidence);
    assertEquals(50, v.difference());
  }

  @Test
  void aDriftedNativeWindowOfTheSameDayComesFirstAndAnotherDayIsUnexplained() {
    nativeLive.add(closed("a", "EUR", 1, 10, 1));
    nativeReplay.add(replay("a", "EUR", 1, 25, 2));
    nativeDay("a", 2);
    live.add(row("a", 1, 900, List.of(), PaneTiming.LATE, 7, true));
    replay.add(row("a", 1, 915, List.of(), PaneTiming.ON_TIME, 0, true));
    // Day 2: the same exposure, but live still lacked USD's rate when it closed.
    live.add(row("a", 2, 900, List.of("USD"), PaneTiming.LATE, 7, true));
    replay.add(row("a", 2, 900, List.of(), PaneTiming.ON_TIME, 0, true));
    List<ConvertedVerdict> v = compare();
    assertEquals(ConvertedVerdict.Cause.NATIVE_DRIFT, v.get(0).cause);
    assertEquals(List.of("EUR row drifted (unexplained, +15)"), v.get(0).evidence);
    assertEquals(WindowVerdict.Kind.VALUE_DRIFT, v.get(1).kind, "missing rates are part of the answer");
    assertEquals(ConvertedVerdict.Cause.UNEXPLAINED, v.get(1).cause);
  }

  @Test
  void aDayWhoseNativeWindowLostFactsToAnArchiveGapIsNotPlanned() {
    EvidenceIndex gap = new EvidenceIndex();
    gap.add("a", "EUR", day(1), new Evidence(Cause.ARCHIVE_GAP, "kafka:in/0@7", "not archived", 15L));
    nativeLive.add(closed("a", "EUR", 1, 25, 2));
    nativeReplay.add(replay("a", "EUR", 1, 10, 1));
    live.add(row("a", 1, 915, List.of(), PaneTiming.LATE, 7, true));
    replay.add(row("a", 1, 900, List.of(), PaneTiming.ON_TIME, 0, true));
    Reconciliation rec = new Reconciler(Duration.standardDays(3), BackfillRange.all()).compare(nativeLive, nativeReplay, gap);
    List<ConvertedVerdict> days =
        new ConvertedReconciler(Duration.standardDays(3), BackfillRange.all()).compare(live, replay, rec, late);
    assertEquals(ConvertedVerdict.Cause.NATIVE_DRIFT, days.get(0).cause);
    assertTrue(RepairPlan.of(rec.verdicts, days).launches.isEmpty(), "restore the archive first");
  }

  @Test
  void aConvertedDayAloneGetsABackfillAndSharesOneWithANativeWindowOfItsRange() {
    nativeLive.add(closed("a", "EUR", 1, 10, 1));
    nativeReplay.add(replay("a", "EUR", 1, 25, 2));
    nativeDay("b", 3);
    live.add(row("a", 1, 900, List.of(), PaneTiming.LATE, 7, true));
    replay.add(row("a", 1, 915, List.of(), PaneTiming.ON_TIME, 0, true));
    live.add(row("b", 3, 900, List.of(), PaneTiming.LATE, 7, true));
    replay.add(row("b", 3, 800, List.of(), PaneTiming.ON_TIME, 0, true));
    Reconciliation rec = new Reconciler(Duration.standardDays(3), BackfillRange.all())
        .compare(nativeLive, nativeReplay, new EvidenceIndex());
    List<ConvertedVerdict> days =
        new ConvertedReconciler(Duration.standardDays(3), BackfillRange.all()).compare(live, replay, rec, late);
    RepairPlan plan = RepairPlan.of(rec.verdicts, days);
    assertEquals(2, plan.launches.size());
    RepairPlan.Launch a = plan.launches.get(0);
    assertEquals(List.of("a"), List.copyOf(a.merchants));
    assertEquals(1, a.windows.size());
    assertEquals(1, a.convertedDays.size());
    RepairPlan.Launch b = plan.launches.get(1);
    assertEquals(List.of("b"), List.copyOf(b.merchants));
    assertEquals(List.of(day(3), day(4)), List.of(b.fromMillis, b.toMillis));
    assertEquals(0, b.windows.size());
    assertEquals(1, b.convertedDays.size());
  }
}
