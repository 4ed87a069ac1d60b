package io.unifiedexposure.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.ConvertedRow;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * What a consumer of converted rows holds after upserting every pane (highest pane_index per
 * (merchant, day)): the expected totals and missing rates, each row final, and no two rows of a
 * (merchant, day) at one pane_index.
 */
final class NewestConvertedRows implements SerializableFunction<Iterable<ConvertedRow>, Void> {
  private final TreeMap<String, String> expected;

  /** Expected views keyed {@code merchant|windowStartMillis}, as {@code Oracle.converted} writes them. */
  NewestConvertedRows(Map<String, String> expected) {
    this.expected = new TreeMap<>();
    expected.forEach((k, v) -> this.expected.put(k, v + ", final"));
  }

  static String key(ConvertedRow r) {
    return r.merchantId() + "|" + r.windowStart().getMillis();
  }

  static String view(ConvertedRow r) {
    return r.exposureMinor() + " over " + r.eventCount() + " facts, missing " + r.missingRates()
        + (r.isFinal() ? ", final" : ", NOT final");
  }

  @Override
  public Void apply(Iterable<ConvertedRow> rows) {
    Map<String, ConvertedRow> byPane = new TreeMap<>();
    Map<String, ConvertedRow> newest = new TreeMap<>();
    for (ConvertedRow r : rows) {
      ConvertedRow other = byPane.put(key(r) + "#" + r.paneIndex(), r);
      if (other != null) {
        throw new AssertionError("two rows at one pane_index: " + other + " and " + r);
      }
      ConvertedRow kept = newest.get(key(r));
      if (kept == null || kept.paneIndex() < r.paneIndex()) {
        newest.put(key(r), r);
      }
    }
    Map<String, String> actual = new TreeMap<>();
    newest.forEach((k, r) -> actual.put(k, view(r)));
    assertEquals(expected, actual);
    return null;
  }
}
