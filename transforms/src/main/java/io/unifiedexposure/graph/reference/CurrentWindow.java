package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.PaneTiming;
import java.io.Serializable;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The current-exposure rule, for both execution paths: a merchant's row as of day D sums the
 * converted exposure of the N days ending with D, beside the limit in force for D. A row exists for
 * D when the merchant has a converted day in [D − N, D]: from its first fact's day until N days
 * after its last (that last row, its N days empty, says the exposure rolled out).
 */
final class CurrentWindow implements Serializable {
  static final long DAY = 86_400_000L;

  private final int days;
  private final String reportingCurrency;

  CurrentWindow(int days, String reportingCurrency) {
    if (days < 1) {
      throw new IllegalArgumentException("currentDays must be 1 or more, got " + days);
    }
    this.days = days;
    this.reportingCurrency = reportingCurrency;
  }

  int days() {
    return days;
  }

  /** The last day that has a row because of day {@code d} (its zero row). */
  long lastRowFor(long d) {
    return d + days * DAY;
  }

  /** Whether the merchant has a row for {@code asOfDay}, given the days it has converted exposure on. */
  boolean exists(long asOfDay, NavigableMap<Long, ConvertedRow> converted) {
    Long before = converted.floorKey(asOfDay);
    return before != null && before >= asOfDay - days * DAY;
  }

  /**
   * The limit in force for {@code asOfDay}: of the limits (the version in force per effective_from)
   * the one with the latest effective_from before the day's end; null when none.
   */
  static @Nullable MerchantLimit limitFor(long asOfDay, NavigableMap<Long, MerchantLimit> limitsByEffectiveFrom) {
    Map.Entry<Long, MerchantLimit> e = limitsByEffectiveFrom.lowerEntry(asOfDay + DAY);
    return e == null ? null : e.getValue();
  }

  /** The row as of {@code asOfDay} from the newest converted row of each day and the limits. */
  CurrentRow row(String merchant, long asOfDay, NavigableMap<Long, ConvertedRow> converted,
      NavigableMap<Long, MerchantLimit> limits, PaneTiming timing, long paneIndex, boolean isFinal) {
    long from = asOfDay - (days - 1) * DAY;
    long exposure = 0;
    long events = 0;
    TreeSet<String> missing = new TreeSet<>();
    for (ConvertedRow day : converted.subMap(from, true, asOfDay, true).values()) {
      exposure = Math.addExact(exposure, day.exposureMinor());
      events += day.eventCount();
      missing.addAll(day.missingRates());
    }
    return CurrentRow.of(merchant, reportingCurrency, new Instant(asOfDay), new Instant(from), exposure, events,
        new java.util.ArrayList<>(missing), limitFor(asOfDay, limits), timing, paneIndex, isFinal);
  }
}
