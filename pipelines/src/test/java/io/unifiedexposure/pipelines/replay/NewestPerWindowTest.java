package io.unifiedexposure.pipelines.replay;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.unifiedexposure.graph.PaneTiming;
import io.unifiedexposure.graph.ProjectionRow;
import io.unifiedexposure.graph.ProjectionUpsert;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-shard combine keeps, per window, the row with the highest pane_index, however merged. */
class NewestPerWindowTest {
  private static final Instant DAY1 = Instant.parse("2025-07-01T00:00:00Z");
  private static final Instant DAY2 = Instant.parse("2025-07-02T00:00:00Z");
  private static final Instant DAY3 = Instant.parse("2025-07-03T00:00:00Z");

  private static ProjectionRow pane(String merchant, Instant start, Instant end, long exposure, long index) {
    return ProjectionRow.of(merchant, "EUR", start, end, exposure, index + 1,
        index == 0 ? PaneTiming.EARLY : PaneTiming.ON_TIME, index, index > 0);
  }

  @Test
  void highestPanePerWindowWhateverTheMergeOrder() {
    ProjectionRow m1Day1Early = pane("m1", DAY1, DAY2, 100, 0);
    ProjectionRow m1Day1OnTime = pane("m1", DAY1, DAY2, 250, 1);
    ProjectionRow m1Day2Early = pane("m1", DAY2, DAY3, 40, 0);
    ProjectionRow m2Day1Early = pane("m2", DAY1, DAY2, 7, 0);
    ProjectionRow m2Day1Late = pane("m2", DAY1, DAY2, 9, 2);
    List<ProjectionRow> panes = List.of(m1Day1OnTime, m2Day1Early, m1Day1Early, m1Day2Early, m2Day1Late);

    Map<String, ProjectionRow> expected = Map.of(
        ProjectionUpsert.key(m1Day1OnTime), m1Day1OnTime,
        ProjectionUpsert.key(m1Day2Early), m1Day2Early,
        ProjectionUpsert.key(m2Day1Late), m2Day1Late);
    CombineFnTester.testCombineFn(new NewestPerWindow.Newest(), panes, equalTo(expected));
    assertThat(ProjectionUpsert.newest(panes), equalTo(new java.util.TreeMap<>(expected)));
  }
}
