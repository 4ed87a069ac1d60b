package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.closed;
import static io.unifiedexposure.pipelines.reconcile.Rows.day;
import static io.unifiedexposure.pipelines.reconcile.Rows.pane;
import static io.unifiedexposure.pipelines.reconcile.Rows.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every class and every cause on crafted inputs. Allowed lateness is 3 days. Merchant "clock" has a
 * final live pane for July 3, so the live watermark is known to be past that window's expiry (its
 * end, July 4, plus 3 days): windows up to July 2 are closed in live, later ones may still be open.
 */
class ReconcilerTest {
  private final Reconciler reconciler = new Reconciler(Duration.standardDays(3), BackfillRange.all());

  private final List<ProjectionRow> clock = List.of(closed("clock", "EUR", 3, 10, 1));
  private final List<ProjectionRow> clockReplay = List.of(replay("clock", "EUR", 3, 10, 1));

  private Map<String, WindowVerdict> compare(List<ProjectionRow> live, List<ProjectionRow> replay, EvidenceIndex ev) {
    List<ProjectionRow> l = new java.util.ArrayList<>(live);
    l.addAll(clock);
    List<ProjectionRow> r = new java.util.ArrayList<>(replay);
    r.addAll(clockReplay);
    return reconciler.compare(l, r, ev).verdicts.stream()
        .collect(Collectors.toMap(v -> v.merchantId + "/" + v.currency + "/" + (1 + (v.windowStart - day(1)) / Rows.DAY),
            v -> v));
  }

  private static Evidence evidence(Cause cause, long delta) {
    return new Evidence(cause, "kafka:events/0@" + delta, "crafted", delta);
  }

  @Test
  void finalLiveRowEqualToReplayIsAMatch() {
    WindowVerdict v = compare(List.of(closed("m1", "EUR", 1, 500, 3)), List.of(replay("m1", "EUR", 1, 500, 3)),
        new EvidenceIndex()).get("m1/EUR/1");
    assertEquals(WindowVerdict.Kind.MATCH, v.kind);
    assertNull(v.cause);
  }

  @Test
  void liveWindowNotFinalIsOpenEvenWhenValuesDiffer() {
    WindowVerdict v = compare(
        List.of(pane("m1", "EUR", 5, 100, 1, PaneTiming.EARLY, 0, false)),
        List.of(replay("m1", "EUR", 5, 900, 4)), new EvidenceIndex()).get("m1/EUR/5");
    assertEquals(WindowVerdict.Kind.OPEN, v.kind);
    assertFalse(v.kind.isDrift());
  }

  @Test
  void windowLiveHasNoRowForIsOpenUntilTheLiveWatermarkPassedItsExpiry() {
    Map<String, WindowVerdict> v = compare(List.of(),
        List.of(replay("m1", "EUR", 2, 300, 2), replay("m1", "EUR", 9, 300, 2)), new EvidenceIndex());
    assertEquals(WindowVerdict.Kind.MISSING_LIVE, v.get("m1/EUR/2").kind);
    assertEquals(Cause.UNEXPLAINED, v.get("m1/EUR/2").cause);
    assertEquals(WindowVerdict.Kind.OPEN, v.get("m1/EUR/9").kind);
  }

  @Test
  void missingLiveExplainedByFactsBeyondLateness() {
    EvidenceIndex ev = new EvidenceIndex().add("m1", "EUR", day(2), evidence(Cause.BEYOND_LATENESS, 300));
    WindowVerdict v = compare(List.of(), List.of(replay("m1", "EUR", 2, 300, 1)), ev).get("m1/EUR/2");
    assertEquals(WindowVerdict.Kind.MISSING_LIVE, v.kind);
    assertEquals(Cause.BEYOND_LATENESS, v.cause);
    assertEquals(300, v.difference());
    assertTrue(v.repairable());
  }

  @Test
  void missingReplayExplainedByAnArchiveGapIsNotRepairable() {
    EvidenceIndex ev = new EvidenceIndex().add("m1", "GBP", day(1), evidence(Cause.ARCHIVE_GAP, 70));
    WindowVerdict v = compare(List.of(closed("m1", "GBP", 1, 70, 1)), List.of(), ev).get("m1/GBP/1");
    assertEquals(WindowVerdict.Kind.MISSING_REPLAY, v.kind);
    assertEquals(Cause.ARCHIVE_GAP, v.cause);
    assertFalse(v.repairable());
  }

  @Test
  void liveRowOfZeroWithNoReplayRowIsAMatch() {
    WindowVerdict v = compare(List.of(closed("m1", "GBP", 1, 0, 0)), List.of(), new EvidenceIndex()).get("m1/GBP/1");
    assertEquals(WindowVerdict.Kind.MATCH, v.kind);
  }

  @Test
  void valueDriftTakesTheMostSpecificCauseItHasEvidenceFor() {
    EvidenceIndex ev = new EvidenceIndex()
        .add("m1", "EUR", day(1), evidence(Cause.DEAD_LETTERS, 1))
        .add("m1", "EUR", day(1), evidence(Cause.CONFLICTS, 2))
        .add("m1", "EUR", day(1), evidence(Cause.BEYOND_LATENESS, 3))
        .add("m1", "USD", day(1), evidence(Cause.DEAD_LETTERS, 4))
        .add("m1", "USD", day(2), evidence(Cause.CONFLICTS, 5));
    Map<String, WindowVerdict> v = compare(
        List.of(closed("m1", "EUR", 1, 10, 1), closed("m1", "USD", 1, 10, 1), closed("m1", "USD", 2, 10, 1),
            closed("m1", "USD", 3, 10, 1)),
        List.of(replay("m1", "EUR", 1, 13, 2), replay("m1", "USD", 1, 14, 2), replay("m1", "USD", 2, 15, 1),
            replay("m1", "USD", 3, 16, 2)),
        ev);
    assertEquals(Cause.BEYOND_LATENESS, v.get("m1/EUR/1").cause);
    assertEquals(3, v.get("m1/EUR/1").evidence.size(), "all evidence is kept, whatever the cause chosen");
    assertEquals(Cause.DEAD_LETTERS, v.get("m1/USD/1").cause);
    assertEquals(Cause.CONFLICTS, v.get("m1/USD/2").cause);
    assertEquals(Cause.UNEXPLAINED, v.get("m1/USD/3").cause);
    for (String k : List.of("m1/EUR/1", "m1/USD/1", "m1/USD/2", "m1/USD/3")) {
      assertEquals(WindowVerdict.Kind.VALUE_DRIFT, v.get(k).kind, k);
    }
  }

  @Test
  void summaryCountsClassesRatesAndWorstWindows() {
    Reconciliation rec = reconciler.compare(
        List.of(closed("a", "EUR", 1, 100, 1), closed("a", "EUR", 2, 100, 1), closed("b", "EUR", 1, 100, 1),
            pane("b", "EUR", 6, 1, 1, PaneTiming.EARLY, 0, false)),
        List.of(replay("a", "EUR", 1, 100, 1), replay("a", "EUR", 2, 150, 2), replay("b", "EUR", 1, -900, 2),
            replay("b", "EUR", 6, 1, 1)),
        new EvidenceIndex());
    assertEquals(Map.of(WindowVerdict.Kind.MATCH, 1, WindowVerdict.Kind.OPEN, 1, WindowVerdict.Kind.MISSING_LIVE, 0,
        WindowVerdict.Kind.MISSING_REPLAY, 0, WindowVerdict.Kind.VALUE_DRIFT, 2), rec.countsByKind());
    assertEquals(3, rec.closed());
    assertEquals(2.0 / 3, rec.driftRate(), 1e-9);
    assertEquals(2, rec.unexplained());
    assertEquals("b", rec.worst(1).get(0).merchantId, "largest absolute difference first");
  }

  @Test
  void onlyWindowsInsideTheRangeAreCompared() {
    Reconciler scoped = new Reconciler(Duration.standardDays(3), BackfillRange.between(day(2), day(4), Set.of("a")));
    Reconciliation rec = scoped.compare(
        List.of(closed("a", "EUR", 1, 1, 1), closed("a", "EUR", 2, 1, 1), closed("b", "EUR", 2, 1, 1),
            closed("a", "EUR", 4, 1, 1)),
        List.of(replay("a", "EUR", 1, 2, 1), replay("a", "EUR", 2, 1, 1), replay("b", "EUR", 2, 2, 1)),
        new EvidenceIndex());
    assertEquals(1, rec.verdicts.size());
    assertEquals(WindowVerdict.Kind.MATCH, rec.verdicts.get(0).kind);
  }

  @Test
  void aRepairRowIsTheLiveValueButSaysNothingAboutTheWatermark() {
    List<ProjectionRow> live = List.of(
        closed("m1", "EUR", 1, 10, 1),
        pane("m1", "EUR", 1, 40, 2, PaneTiming.REPAIR, 3, true),
        pane("m1", "EUR", 9, 40, 2, PaneTiming.REPAIR, 0, true));
    assertEquals(day(2) - 1 + 3 * Rows.DAY, reconciler.liveWatermarkAtLeast(live));
    Reconciliation rec = reconciler.compare(live, List.of(replay("m1", "EUR", 1, 40, 2)), new EvidenceIndex());
    assertEquals(WindowVerdict.Kind.MATCH, rec.verdicts.get(0).kind);
  }

  @Test
  void durationsReadLikePeopleWriteThem() {
    assertEquals("505d 20h", ReconcileMetrics.readableDuration(505 * Rows.DAY + 20 * 3_600_000L + 59_000));
    assertEquals("3h 12m", ReconcileMetrics.readableDuration(3 * 3_600_000L + 12 * 60_000L));
    assertEquals("2.9s", ReconcileMetrics.readableDuration(2_945));
    assertEquals("-150ms", ReconcileMetrics.readableDuration(-150));
  }
}
