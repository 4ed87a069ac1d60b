package io.unifiedexposure.specs;

import static org.junit.Assert.assertEquals;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Asserts what a consumer holds after upserting every pane (highest pane_index per key): the
 * expected totals, each row final, and no two rows of a window at one pane_index. Runner-independent,
 * unlike the exact pane boundaries.
 */
final class NewestRows implements SerializableFunction<Iterable<ProjectionRow>, Void> {
  private final TreeMap<String, String> expected;

  /** Expected totals keyed {@code merchant|currency|windowStartMillis}, value {exposure, facts}. */
  NewestRows(Map<String, long[]> totals) {
    this.expected = new TreeMap<>();
    totals.forEach((k, v) -> expected.put(k, v[0] + " over " + v[1] + " facts, final"));
  }

  static NewestRows of(ProjectionRow... rows) {
    Map<String, long[]> totals = new TreeMap<>();
    for (ProjectionRow r : rows) {
      totals.put(ProjectionUpsert.key(r), new long[] {r.exposureMinor(), r.eventCount()});
    }
    return new NewestRows(totals);
  }

  @Override
  public Void apply(Iterable<ProjectionRow> rows) {
    // The upsert contract: one row per pane_index of a window, so "the newest" is never a tie.
    Map<String, ProjectionRow> byPane = new TreeMap<>();
    for (ProjectionRow r : rows) {
      ProjectionRow other = byPane.put(ProjectionUpsert.key(r) + "#" + r.paneIndex(), r);
      if (other != null) {
        throw new AssertionError("two rows at one pane_index: " + other + " and " + r);
      }
    }
    Map<String, String> actual = new TreeMap<>();
    ProjectionUpsert.newest(rows)
        .forEach(
            (k, r) ->
                actual.put(
                    k,
                    r.exposureMinor() + " over " + r.eventCount() + " facts"
                        + (r.isFinal() ? ", final" : ", NOT final")));
    assertEquals(expected, actual);
    return null;
  }
}
