package io.unifiedexposure.contract;

import java.util.Map;
import java.util.TreeMap;

/**
 * The consumer side of the projection contract: per (merchant_id, currency, window_start) keep the
 * row with the highest pane_index. Whatever order rows are read in, the result is the same.
 */
public final class ProjectionUpsert {
  private ProjectionUpsert() {}

  /** The key a consumer upserts on: {@code merchant|currency|windowStartMillis}. */
  public static String key(ProjectionRow row) {
    return key(row.merchantId(), row.currency(), row.windowStart().getMillis());
  }

  public static String key(String merchantId, String currency, long windowStartMillis) {
    return merchantId + "|" + currency + "|" + windowStartMillis;
  }

  /** The newest row per key, in key order. */
  public static Map<String, ProjectionRow> newest(Iterable<ProjectionRow> rows) {
    Map<String, ProjectionRow> newest = new TreeMap<>();
    for (ProjectionRow row : rows) {
      newest.merge(key(row), row, ProjectionUpsert::newer);
    }
    return newest;
  }

  /** Of two rows of one key, the one a consumer keeps: the higher pane_index (the first on a tie). */
  public static ProjectionRow newer(ProjectionRow a, ProjectionRow b) {
    return a.paneIndex() >= b.paneIndex() ? a : b;
  }
}
