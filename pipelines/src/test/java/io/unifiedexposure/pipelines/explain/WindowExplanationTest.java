package io.unifiedexposure.pipelines.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.pipelines.reconcile.Rows;
import java.util.List;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The sum check and the live verdict of one window, on lineage given by hand. */
class WindowExplanationTest {
  private static final long JULY_2 = Instant.parse("2025-07-02T00:00:00Z").getMillis();

  private static FactLineage counted(String id, long amount, long receivedAt) {
    ExposureEvent e = ExposureEvent.builder().setEventId(id).setMerchantId("m").setEventType(EventType.CAPTURE)
        .setAmountMinor(amount).setCurrency("EUR").setEventTime(new Instant(JULY_2 + 3_600_000))
        .setCorrectsEventId(null).setSchemaVersion(1).build();
    return FactLineage.of(e, "kafka:events/0@" + receivedAt, receivedAt, FactLineage.Outcome.COUNTED, null,
        new Instant(JULY_2));
  }

  private static WindowExplanation explain(long answer, long answerFacts, List<WindowExplanation.LivePane> panes,
      List<WindowExplanation.LiveRefusal> refusals) {
    return new WindowExplanation("m", "EUR", JULY_2, JULY_2 + 86_400_000, JULY_2 + 4 * 86_400_000,
        Rows.pane("m", "EUR", 2, answer, answerFacts, PaneTiming.ON_TIME, 0, true),
        List.of(counted("a", 100, 10), counted("b", 20, 30)), panes, refusals, List.of());
  }

  @Test
  void aSumThatDiffersFromTheAnswerIsReportedNotAssumed() {
    assertTrue(explain(120, 2, List.of(), List.of()).sumChecks());
    assertFalse(explain(121, 2, List.of(), List.of()).sumChecks());
    assertFalse(explain(120, 3, List.of(), List.of()).sumChecks());
  }

  @Test
  void aFactLiveRefusedAsBeyondLatenessExplainsTheDifferenceExactly() {
    WindowExplanation w = explain(120, 2,
        List.of(new WindowExplanation.LivePane(Rows.pane("m", "EUR", 2, 100, 1, PaneTiming.LATE, 2, true), 20L),
            new WindowExplanation.LivePane(Rows.pane("m", "EUR", 2, 120, 2, PaneTiming.REPAIR, 3, true), 40L)),
        List.of(new WindowExplanation.LiveRefusal("b", "kafka:events/0@30", 30, "live: beyond lateness")));
    assertEquals(20L, w.difference(), "against the live job's own newest pane, not the repair row");
    assertEquals(20, w.missedByLive());
    assertEquals("live: beyond lateness; live published its final pane at 1970-01-01T00:00:00.020Z",
        w.steps.get(1).live);
    assertTrue(w.verdict().startsWith("the 1 fact(s) live refused or missed add +20: exactly the difference; "
        + "reconcile repaired it to 120 at pane_index 3 (the replay's answer)"), w.verdict());
  }

  @Test
  void aFactReceivedAfterLivesNewestPaneIsMarkedWithoutATopic() {
    WindowExplanation w = explain(120, 2,
        List.of(new WindowExplanation.LivePane(Rows.pane("m", "EUR", 2, 100, 1, PaneTiming.EARLY, 0, false), 20L)),
        List.of());
    assertEquals(null, w.steps.get(0).live);
    assertEquals("received after live's newest pane was published", w.steps.get(1).live);
    assertTrue(w.verdict().contains("exactly the difference"), w.verdict());
  }

  @Test
  void receiptTimesAheadOfTheClockDoNotMakeLiveMissFactsItsPaneCounts() {
    // The producer stamped "a" at 10, ahead of the clock that saw live publish its pane holding "a" at 5.
    WindowExplanation w = explain(120, 2,
        List.of(new WindowExplanation.LivePane(Rows.pane("m", "EUR", 2, 100, 1, PaneTiming.LATE, 2, true), 5L)),
        List.of(new WindowExplanation.LiveRefusal("b", "kafka:events/0@30", 30, "live: beyond lateness")));
    assertEquals(null, w.steps.get(0).live);
    assertEquals(20, w.missedByLive());
    assertTrue(w.verdict().contains("exactly the difference"), w.verdict());
  }
}
