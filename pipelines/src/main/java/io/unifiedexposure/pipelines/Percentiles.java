package io.unifiedexposure.pipelines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of measured values (latencies, delays). */
public final class Percentiles {
  private Percentiles() {}

  /** The {@code p}-th percentile by nearest rank, or null when there is no value. */
  public static Long nearestRank(List<Long> values, int p) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
