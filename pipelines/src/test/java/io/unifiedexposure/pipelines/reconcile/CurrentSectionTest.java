package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.day;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.PaneTiming;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Current rows compared per merchant: live's newest day's newest pane against the replay's row of
 * that day; a difference is explained only when the live job's own converted days of its N days
 * (REPAIR rows aside: a repair does not reach a current row) differ from the replay's by exactly as
 * much.
 */
class CurrentSectionTest {
  private static final MerchantLimit LIMIT = MerchantLimit.of("m", "EUR", day(0), 5_000, 1, "limits#1", 0L);
  private final List<CurrentRow> live = new ArrayList<>();
  private final List<CurrentRow> replay = new ArrayList<>();
  private final List<ConvertedRow> liveConverted = new ArrayList<>();
  private final List<ConvertedRow> replayConverted = new ArrayList<>();

  private static CurrentRow row(String merchant, int asOf, long exposure, long facts, PaneTiming timing, long pane) {
    return CurrentRow.of(merchant, "EUR", new Instant(day(asOf)), new Instant(day(asOf - 6)), exposure, facts,
        List.of(), LIMIT, timing, pane, false);
  }

  private static ConvertedRow convertedRow(String merchant, int d, long exposure, long facts, PaneTiming timing,
      long pane) {
    return ConvertedRow.of(merchant, "EUR", new Instant(day(d)), new Instant(day(d) + Rows.DAY), exposure, facts,
        List.of("EUR"), List.of(), timing, pane, timing == PaneTiming.REPAIR);
  }

  /**
   * A converted day of {@code merchant} the live job had at {@code liveExposure} and the replay at
   * {@code replayExposure}, and a repair of it published to live (which the current row never sees).
   */
  private void drifted(String merchant, int d, long liveExposure, long replayExposure, long extraFacts) {
    liveConverted.add(convertedRow(merchant, d, liveExposure, 1, PaneTiming.LATE, 3));
    liveConverted.add(convertedRow(merchant, d, replayExposure, 1 + extraFacts, PaneTiming.REPAIR, 4));
    replayConverted.add(convertedRow(merchant, d, replayExposure, 1 + extraFacts, PaneTiming.ON_TIME, 0));
  }

  private List<CurrentSection.Verdict> compare() {
    return CurrentSection.of(live, replay, liveConverted, replayConverted).verdicts;
  }

  @Test
  void theNewestDaysNewestPaneIsComparedAndEqualMatches() {
    live.add(row("m", 7, 100, 1, PaneTiming.EARLY, 0));
    live.add(row("m", 8, 900, 3, PaneTiming.EARLY, 4));
    live.add(row("m", 8, 800, 2, PaneTiming.EARLY, 3));
    replay.add(row("m", 7, 100, 1, PaneTiming.ON_TIME, 0));
    replay.add(row("m", 8, 900, 3, PaneTiming.ON_TIME, 0));
    List<CurrentSection.Verdict> v = compare();
    assertEquals(1, v.size());
    assertEquals(CurrentSection.Kind.MATCH, v.get(0).kind);
    assertEquals(new Instant(day(8)), v.get(0).live.asOfDay());
  }

  @Test
  void aDifferenceThatIsExactlyTheConvertedDriftOfItsDaysIsExplained() {
    live.add(row("m", 8, 900, 3, PaneTiming.EARLY, 4));
    replay.add(row("m", 8, 1_100, 4, PaneTiming.ON_TIME, 0));
    drifted("m", 2, 300, 500, 1);
    drifted("m", 1, 10, 99, 0); // outside the 7 days of July 8 (July 2 .. July 8): not counted
    List<CurrentSection.Verdict> v = compare();
    assertEquals(CurrentSection.Kind.CONVERTED_DRIFT, v.get(0).kind);
    assertEquals(200, v.get(0).difference());
    assertEquals(1, v.get(0).driftDays.size());
  }

  @Test
  void anyOtherDifferenceIsUnexplained() {
    live.add(row("m", 8, 900, 3, PaneTiming.EARLY, 4));
    replay.add(row("m", 8, 1_000, 4, PaneTiming.ON_TIME, 0));
    drifted("m", 2, 300, 500, 1); // +200, the difference is +100
    assertEquals(CurrentSection.Kind.UNEXPLAINED, compare().get(0).kind);
    assertEquals(1, CurrentSection.of(live, replay, liveConverted, replayConverted).unexplained());
  }
}
