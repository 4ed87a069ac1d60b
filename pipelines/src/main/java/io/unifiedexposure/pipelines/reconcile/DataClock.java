package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.WindowGrid;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The data's clock: when the input stream passed an event time, read as the receipt time of the
 * first archived record whose event time is at or past it. Window latency and freshness are
 * measured from there: for a stream that arrives as it happens this is the event time itself, and
 * for one that arrives late or all at once (a backlog, a catch-up after an outage, the demo's
 * history of 2025 sent today) it is when the data that closed the window came in, so a delay says
 * how long the live job took, not how old the data was.
 *
 * <p>Only the event times asked about are kept ({@link #at}), and each window's last receipt ({@link
 * #lateWindowRate}): one pass over the archive, memory by the number of windows, not of records. An event time the archive never passed, or no archive,
 * reads as itself (the processing clock, as a real-time stream has it).
 */
final class DataClock {
  private final long[] times;
  private final long[] firstReceipt;
  private final WindowGrid grid;
  /** Each window's ({@link ProjectionUpsert#key}) last receipt. */
  private final Map<String, Long> lastReceipt = new HashMap<>();
  private boolean settled;

  /** A clock that will answer for these event times, fed by {@link #record}; windows on {@code grid}. */
  DataClock(Collection<Long> eventTimes, WindowGrid grid) {
    this.grid = grid;
    times = eventTimes.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
    firstReceipt = new long[times.length];
    Arrays.fill(firstReceipt, Long.MAX_VALUE);
  }

  /** An archived record: its event time, when the source received it, its merchant and currency. */
  void record(long eventTime, long receivedAt, String merchantId, String currency) {
    lastReceipt.merge(ProjectionUpsert.key(merchantId, currency, grid.windowStart(eventTime)), receivedAt, Math::max);
    int i = Arrays.binarySearch(times, eventTime);
    int at = i >= 0 ? i : -i - 2; // the latest time asked about at or before this event time
    if (at >= 0 && receivedAt < firstReceipt[at]) {
      firstReceipt[at] = receivedAt;
      settled = false;
    }
  }

  /** When the stream passed {@code eventTime} (one of those asked about), on the receipt clock. */
  long at(long eventTime) {
    return passed(eventTime).orElse(eventTime);
  }

  /** When the stream passed {@code eventTime} (one of those asked about), if the archive shows it did. */
  OptionalLong passed(long eventTime) {
    settle();
    int i = Arrays.binarySearch(times, eventTime);
    return i < 0 || firstReceipt[i] == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(firstReceipt[i]);
  }

  /**
   * Of the windows the live job closed, the share that received a record after the input's
   * watermark (the largest event time received minus {@code maxOutOfOrderness}) passed their end,
   * on the data's clock: what arrived late, whichever runner read it how fast. Null when none is
   * known (no archive, or no closed window in it).
   */
  Double lateWindowRate(Map<String, Long> closedWindowEnds, long maxOutOfOrderness) {
    long known = 0;
    long late = 0;
    for (Map.Entry<String, Long> w : closedWindowEnds.entrySet()) {
      Long last = lastReceipt.get(w.getKey());
      OptionalLong passed = passed(w.getValue() + maxOutOfOrderness);
      if (last == null || passed.isEmpty()) {
        continue; // no record of this window, or the input never passed its end: nothing to say
      }
      known++;
      if (last > passed.getAsLong()) {
        late++;
      }
    }
    return known == 0 ? null : (double) late / known;
  }

  /** A record past a later time also passed every earlier one: the earliest receipt from each on. */
  private void settle() {
    if (settled) {
      return;
    }
    for (int i = times.length - 2; i >= 0; i--) {
      firstReceipt[i] = Math.min(firstReceipt[i], firstReceipt[i + 1]);
    }
    settled = true;
  }
}
