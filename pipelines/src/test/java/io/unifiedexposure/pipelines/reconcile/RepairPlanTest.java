package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.closed;
import static io.unifiedexposure.pipelines.reconcile.Rows.day;
import static io.unifiedexposure.pipelines.reconcile.Rows.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The plan is minimal: adjacent windows merge, equal ranges share a launch, unaffected merchants stay out. */
class RepairPlanTest {
  private final List<ProjectionRow> live = new ArrayList<>();
  private final List<ProjectionRow> replay = new ArrayList<>();
  private final EvidenceIndex evidence = new EvidenceIndex();

  private void same(String merchant, String ccy, int day) {
    live.add(closed(merchant, ccy, day, 10, 1));
    replay.add(replay(merchant, ccy, day, 10, 1));
  }

  private void drift(String merchant, String ccy, int day) {
    live.add(closed(merchant, ccy, day, 10, 1));
    replay.add(replay(merchant, ccy, day, 25, 2));
  }

  private RepairPlan plan() {
    Reconciliation rec = new Reconciler(Duration.standardDays(3), BackfillRange.all()).compare(live, replay, evidence);
    return RepairPlan.of(rec.verdicts);
  }

  @Test
  void adjacentWindowsOfAMerchantMergeIntoOneRangeAcrossCurrencies() {
    drift("a", "EUR", 3);
    drift("a", "USD", 4);
    drift("a", "EUR", 5);
    same("a", "EUR", 4);
    RepairPlan plan = plan();
    assertEquals(1, plan.launches.size());
    RepairPlan.Launch l = plan.launches.get(0);
    assertEquals(day(3), l.fromMillis);
    assertEquals(day(6), l.toMillis);
    assertEquals(List.of("a"), List.copyOf(l.merchants));
    assertEquals(3, l.windows.size(), "the matching window inside the range is recomputed but not republished");
  }

  @Test
  void aHoleBetweenDriftedWindowsSplitsTheRange() {
    drift("a", "EUR", 1);
    same("a", "EUR", 2);
    drift("a", "EUR", 3);
    RepairPlan plan = plan();
    assertEquals(2, plan.launches.size());
    assertEquals(List.of(day(1), day(2)), List.of(plan.launches.get(0).fromMillis, plan.launches.get(0).toMillis));
    assertEquals(List.of(day(3), day(4)), List.of(plan.launches.get(1).fromMillis, plan.launches.get(1).toMillis));
  }

  @Test
  void merchantsNeedingTheSameRangeShareALaunchAndUnaffectedMerchantsAreLeftOut() {
    drift("a", "EUR", 2);
    drift("b", "GBP", 2);
    drift("c", "EUR", 2);
    drift("c", "EUR", 3);
    same("d", "EUR", 2);
    RepairPlan plan = plan();
    assertEquals(2, plan.launches.size());
    assertEquals(List.of("a", "b"), List.copyOf(plan.launches.get(0).merchants));
    assertEquals(List.of("c"), List.copyOf(plan.launches.get(1).merchants));
    assertEquals(day(4), plan.launches.get(1).toMillis);
    assertEquals(
        "./exposure replay --archive=/arch --from=2025-07-02T00:00:00Z --to=2025-07-03T00:00:00Z --merchants=a,b"
            + " --output=/out/launch-1",
        plan.launches.get(0).command("/arch", "/out/launch-1", List.of()));
  }

  @Test
  void driftFromAnArchiveGapIsReportedButNotPlanned() {
    drift("a", "EUR", 1);
    evidence.add("a", "EUR", day(1), new Evidence(Cause.ARCHIVE_GAP, "kafka:e/0@7", "gap", 15L));
    RepairPlan plan = plan();
    assertEquals(0, plan.launches.size());
    assertEquals(1, plan.notRepaired.size());
  }

  @Test
  void noDriftNoLaunch() {
    same("a", "EUR", 1);
    assertEquals(0, plan().launches.size());
  }
}
