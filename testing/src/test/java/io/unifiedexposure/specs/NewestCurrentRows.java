package io.unifiedexposure.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.CurrentRow;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * What a consumer of current rows holds after upserting every pane (highest pane_index per
 * (merchant, as_of_day)): the expected sums, missing rates and limits, each row final, over_limit
 * exactly when the exposure is above the limit, and no two rows of a (merchant, day) at one
 * pane_index.
 */
final class NewestCurrentRows implements SerializableFunction<Iterable<CurrentRow>, Void> {
  private final TreeMap<String, String> expected;

  /** Expected views keyed {@code merchant|asOfDayMillis}, as {@code Oracle.current} writes them. */
  NewestCurrentRows(Map<String, String> expected) {
    this.expected = new TreeMap<>();
    expected.forEach((k, v) -> this.expected.put(k, v + ", final"));
  }

  static String key(CurrentRow r) {
    return r.merchantId() + "|" + r.asOfDay().getMillis();
  }

  static String view(CurrentRow r) {
    return r.exposureMinor() + " over " + r.eventCount() + " facts, missing " + r.missingRates() + ", limit "
        + (r.limit() == null ? "none" : Long.toString(r.limit().limitMinor()))
        + (r.isFinal() ? ", final" : ", NOT final");
  }

  @Override
  public Void apply(Iterable<CurrentRow> rows) {
    Map<String, CurrentRow> byPane = new TreeMap<>();
    Map<String, CurrentRow> newest = new TreeMap<>();
    for (CurrentRow r : rows) {
      CurrentRow other = byPane.put(key(r) + "#" + r.paneIndex(), r);
      if (other != null) {
        throw new AssertionError("two rows at one pane_index: " + other + " and " + r);
      }
      boolean over = r.limit() != null && r.exposureMinor() > r.limit().limitMinor();
      if (r.overLimit() != over) {
        throw new AssertionError("over_limit wrong: " + r);
      }
      CurrentRow kept = newest.get(key(r));
      if (kept == null || kept.paneIndex() < r.paneIndex()) {
        newest.put(key(r), r);
      }
    }
    Map<String, String> actual = new TreeMap<>();
    newest.forEach((k, r) -> actual.put(k, view(r)));
    assertEquals(expected, actual);
    return null;
  }

  /**
   * The newest-day rows in the order a topic keyed by merchant keeps them: the last one per merchant
   * (latest as_of_day, then highest pane) is the merchant's last day's final row.
   */
  static SerializableFunction<Iterable<CurrentRow>, Void> latestPerMerchant(Map<String, String> expected) {
    TreeMap<String, String> lastDay = new TreeMap<>();
    expected.forEach((k, v) -> lastDay.put(k.substring(0, k.lastIndexOf('|')), k + " " + v + ", final"));
    return rows -> {
      Map<String, CurrentRow> last = new TreeMap<>();
      for (CurrentRow r : rows) {
        CurrentRow kept = last.get(r.merchantId());
        if (kept == null || kept.asOfDay().isBefore(r.asOfDay())
            || (kept.asOfDay().equals(r.asOfDay()) && kept.paneIndex() < r.paneIndex())) {
          last.put(r.merchantId(), r);
        }
      }
      Map<String, String> actual = new TreeMap<>();
      last.forEach((m, r) -> actual.put(m, key(r) + " " + view(r)));
      assertEquals(lastDay, actual);
      return null;
    };
  }
}
