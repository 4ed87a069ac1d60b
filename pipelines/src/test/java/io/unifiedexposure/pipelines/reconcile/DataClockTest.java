package io.unifiedexposure.pipelines.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Latency and lateness on the data's clock: a history of July 2025 sent to the live job on
 * 2026-12-04 (the demo's case) measures the job, not the data's age, and a window is late by what
 * arrived after the input passed it, not by how fast a runner read the topic.
 */
class DataClockTest {
  private static final WindowGrid GRID = new WindowGrid(Duration.standardDays(1), Duration.standardDays(3));
  private static final long JUL_1 = Instant.parse("2025-07-01T00:00:00Z").toEpochMilli();
  private static final long JUL_2 = Instant.parse("2025-07-02T00:00:00Z").toEpochMilli();
  private static final long JUL_3 = Instant.parse("2025-07-03T00:00:00Z").toEpochMilli();
  private static final long SENT = Instant.parse("2026-12-04T10:00:00Z").toEpochMilli();
  private static final long MAX_OUT_OF_ORDER = 10_000;
  private static final long GRID_DAY = 86_400_000L;

  private static ProjectionRow pane(long start, PaneTiming timing, int index, boolean last) {
    return ProjectionRow.of("m1", "EUR", new org.joda.time.Instant(start), new org.joda.time.Instant(start + GRID_DAY),
        100, 1, timing, index, last);
  }

  /** July 1st and 2nd of m1/EUR, sent in 40 seconds on 2026-12-04; one July 1st fact comes after July 2nd. */
  private static LivePanes panesAndArchive(DataClock[] clock) {
    LivePanes live = new LivePanes()
        .add(pane(JUL_1, PaneTiming.ON_TIME, 0, false), SENT + 23_000)
        .add(pane(JUL_1, PaneTiming.LATE, 1, true), SENT + 60_000)
        .add(pane(JUL_2, PaneTiming.ON_TIME, 0, true), SENT + 45_000);
    clock[0] = live.dataClock(GRID, Duration.millis(MAX_OUT_OF_ORDER));
    clock[0].record(JUL_1 + 3_600_000, SENT, "m1", "EUR");
    clock[0].record(JUL_1 + 7_200_000, SENT + 10_000, "m1", "EUR");
    // The input passes July 1st's end at +20 s, and its watermark (end + 10 s) at +21 s.
    clock[0].record(JUL_2 + 5_000, SENT + 20_000, "m1", "EUR");
    clock[0].record(JUL_2 + 60_000, SENT + 21_000, "m1", "EUR");
    // July 1st, received after the watermark passed its end: a late fact.
    clock[0].record(JUL_1 + 9_000_000, SENT + 30_000, "m1", "EUR");
    // July 2nd's end is passed at +40 s (the watermark too), and nothing of July 2nd comes after.
    clock[0].record(JUL_3 + 20_000, SENT + 40_000, "m1", "EUR");
    return live;
  }

  @Test
  void aWindowsEndIsWhenTheInputPassedIt() {
    DataClock[] clock = new DataClock[1];
    panesAndArchive(clock);
    assertEquals(SENT + 20_000, clock[0].at(JUL_2), "the first record at or past July 2nd came in at +20 s");
    assertEquals(SENT + 21_000, clock[0].at(JUL_2 + MAX_OUT_OF_ORDER));
    assertEquals(SENT + 40_000, clock[0].at(JUL_3));
    long jul4 = JUL_3 + GRID_DAY;
    assertEquals(jul4, clock[0].at(jul4), "an end the input never passed reads as itself (the processing clock)");
  }

  @Test
  void paneDelaysAndLatenessAreTheJobsNotTheDatasAge() {
    DataClock[] clock = new DataClock[1];
    LivePanes live = panesAndArchive(clock);
    Reconciliation rec = new Reconciler(Duration.standardDays(3), BackfillRange.all())
        .compare(live.rows, List.of(), new EvidenceIndex());
    Map<String, Object> m = ReconcileMetrics.of(live, rec, Map.of(), Map.of(), clock[0], MAX_OUT_OF_ORDER, SENT + 120_000);
    // On-time panes: July 1st at +23 s after the input passed its end at +20 s; July 2nd at +45 s after +40 s.
    assertEquals(3_000L, m.get("on_time_pane_delay_ms_p50"));
    assertEquals(5_000L, m.get("on_time_pane_delay_ms_p99"));
    // Final panes: July 1st's late pane at +60 s (40 s after +20 s), July 2nd at +45 s (5 s).
    assertEquals(40_000L, m.get("final_pane_delay_ms_p99"));
    assertEquals(0.5, m.get("late_window_rate"), "July 1st took a fact after the watermark passed it; July 2nd not");
    assertEquals(0L, m.get("receipt_clock_ahead_ms"), "every pane published after the records that closed it");
  }

  @Test
  void receiptTimesAheadOfThePublishClockAreSaid() {
    // Stamps set ahead (the demo at volume stamps records 1 ms apart faster than 1,000 a second):
    // July 1st's end is passed at +20 s on the stamps, but its on-time pane is published at +5 s.
    LivePanes live = new LivePanes().add(pane(JUL_1, PaneTiming.ON_TIME, 0, true), SENT + 5_000);
    DataClock clock = live.dataClock(GRID, Duration.millis(MAX_OUT_OF_ORDER));
    clock.record(JUL_2 + 20_000, SENT + 20_000, "m1", "EUR");
    Reconciliation rec = new Reconciler(Duration.standardDays(3), BackfillRange.all())
        .compare(live.rows, List.of(), new EvidenceIndex());
    Map<String, Object> m = ReconcileMetrics.of(live, rec, Map.of(), Map.of(), clock, MAX_OUT_OF_ORDER, SENT + 60_000);
    assertEquals(-15_000L, m.get("on_time_pane_delay_ms_p50"));
    assertEquals(15_000L, m.get("receipt_clock_ahead_ms"));
  }

  @Test
  void withoutAnArchiveNothingIsLateOrKnown() {
    LivePanes live = new LivePanes().add(pane(JUL_1, PaneTiming.ON_TIME, 0, true), SENT);
    DataClock clock = live.dataClock(GRID, Duration.millis(MAX_OUT_OF_ORDER));
    assertNull(clock.lateWindowRate(ReconcileMetrics.closedWindowEnds(live.rows), MAX_OUT_OF_ORDER));
    assertEquals(JUL_2, clock.at(JUL_2));
  }
}
