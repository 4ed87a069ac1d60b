package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.graph.WindowGrid;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a backfill recomputes: whole windows between {@code from} (inclusive) and {@code to}
 * (exclusive), widened outward to window boundaries so no window is recomputed from part of its
 * facts, for all merchants or the listed ones.
 */
public final class BackfillRange implements Serializable {
  private final long fromMillis;
  private final long toMillis;
  private final Set<String> merchants;
  /** Only records received at or before this instant ({@code --asOf}); {@link Long#MAX_VALUE}: all. */
  private final long asOfMillis;

  BackfillRange(long fromMillis, long toMillis, Set<String> merchants) {
    this(fromMillis, toMillis, merchants, Long.MAX_VALUE);
  }

  private BackfillRange(long fromMillis, long toMillis, Set<String> merchants, long asOfMillis) {
    if (fromMillis >= toMillis) {
      throw new IllegalArgumentException(
          "--from must be before --to, got " + instant(fromMillis) + " and " + instant(toMillis));
    }
    this.fromMillis = fromMillis;
    this.toMillis = toMillis;
    this.merchants = merchants;
    this.asOfMillis = asOfMillis;
  }

  /**
   * The same range as known at an instant ({@code --asOf}: a date is its UTC midnight): only the
   * records (facts and reference data) received at or before it count, so the replay computes what
   * live could have known then. Null: everything the archive has.
   */
  public BackfillRange asOf(String instant) {
    return instant == null ? this : new BackfillRange(fromMillis, toMillis, merchants, parse("asOf", instant));
  }

  /** Whether a record received at this instant was known at the range's {@code --asOf}. */
  public boolean knownAt(long receivedAtMillis) {
    return receivedAtMillis <= asOfMillis;
  }

  /** The {@code --asOf} instant, or null when the replay takes everything the archive has. */
  public Long asOfMillis() {
    return asOfMillis == Long.MAX_VALUE ? null : asOfMillis;
  }

  /** From the launcher's flags; absent bounds are open. */
  public static BackfillRange of(String from, String to, String merchants, WindowGrid grid) {
    long f = from == null ? Long.MIN_VALUE : grid.windowStart(parse("from", from));
    long t = to == null ? Long.MAX_VALUE : alignUp(parse("to", to), grid);
    Set<String> m = new TreeSet<>();
    if (merchants != null) {
      m.addAll(Arrays.stream(merchants.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .collect(Collectors.toList()));
      if (m.isEmpty()) {
        throw new IllegalArgumentException("--merchants is empty; leave it out to replay all merchants");
      }
    }
    return new BackfillRange(f, t, m);
  }

  /** A range of whole windows already aligned (e.g. read back from a replay manifest); null bounds are open. */
  public static BackfillRange between(Long fromMillis, Long toMillis, Set<String> merchants) {
    return new BackfillRange(
        fromMillis == null ? Long.MIN_VALUE : fromMillis,
        toMillis == null ? Long.MAX_VALUE : toMillis,
        new TreeSet<>(merchants));
  }

  public static BackfillRange all() {
    return new BackfillRange(Long.MIN_VALUE, Long.MAX_VALUE, new TreeSet<>());
  }

  /** Whether a row with this event time and merchant is recomputed. Unreadable rows always are. */
  public boolean selects(Long eventTimeMillis, String merchantId) {
    boolean inTime = eventTimeMillis == null || (eventTimeMillis >= fromMillis && eventTimeMillis < toMillis);
    boolean merchant = merchants.isEmpty() || merchantId == null || merchants.contains(merchantId);
    return inTime && merchant;
  }

  /** Whether an event-date partition can hold selected rows. */
  public boolean mayHoldDate(LocalDate dt) {
    long start = dt.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long end = dt.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    return end > fromMillis && start < toMillis;
  }

  public long fromMillis() {
    return fromMillis;
  }

  public long toMillis() {
    return toMillis;
  }

  public Set<String> merchants() {
    return merchants;
  }

  @Override
  public String toString() {
    return "event time [" + (fromMillis == Long.MIN_VALUE ? "-∞" : instant(fromMillis)) + ", "
        + (toMillis == Long.MAX_VALUE ? "+∞" : instant(toMillis)) + ") merchants "
        + (merchants.isEmpty() ? "all" : merchants)
        + (asOfMillis == Long.MAX_VALUE ? "" : " as known at " + instant(asOfMillis));
  }

  private static long alignUp(long t, WindowGrid grid) {
    long start = grid.windowStart(t);
    return start == t ? t : grid.windowEnd(t);
  }

  /** A date (its UTC midnight) or an instant with a zone, as {@code --<flag>} gives it; else a clear error. */
  public static long parse(String flag, String text) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      return EventDecoder.parseEventTime(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--" + flag + "=" + text + " is neither a date (2025-07-01) nor an instant with a zone "
              + "(2025-07-01T06:00:00Z)");
    }
  }

  private static String instant(long millis) {
    return java.time.Instant.ofEpochMilli(millis).toString();
  }
}
