package io.unifiedexposure.contract;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The contract's instants as text: ISO-8601 with a zone in, ISO-8601 UTC with milliseconds out.
 *
 * <p>The definitions are java.time's ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} to read,
 * {@link DateTimeFormatter#ISO_INSTANT} to write). The one shape every record carries,
 * {@code 2025-07-01T10:15:30.123Z} (years 0000-9999, UTC, optional fraction), takes a direct path
 * that gives the same answer; anything else, or anything the direct path doubts, goes to java.time.
 * java.time's general parser and printer are a visible share of a replay's CPU.
 * {@code IsoInstantsTest} checks both paths agree on random and malformed text.
 */
public final class IsoInstants {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private IsoInstants() {}

  /**
   * ISO-8601 with a zone to epoch millis (sub-millisecond digits dropped, as java.time does).
   *
   * @throws DateTimeParseException when the text is not ISO-8601 with a zone
   */
  public static long parse(String text) {
    long millis = parseUtcShape(text);
    return millis != Long.MIN_VALUE
        ? millis
        : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
  }

  /** ISO-8601 in UTC with milliseconds when not zero, e.g. {@code 2025-07-01T10:15:30.123Z}. */
  public static String format(long epochMillis) {
    long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    if (!isDirectDay(day)) {
      return DateTimeFormatter.ISO_INSTANT.format(
          java.time.Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MILLIS));
    }
    LocalDate date = LocalDate.ofEpochDay(day);
    int ofDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
    boolean fraction = ofDay % 1000 != 0;
    byte[] s = new byte[fraction ? 24 : 20];
    digits(s, 0, date.getYear(), 4);
    s[4] = '-';
    digits(s, 5, date.getMonthValue(), 2);
    s[7] = '-';
    digits(s, 8, date.getDayOfMonth(), 2);
    s[10] = 'T';
    digits(s, 11, ofDay / 3_600_000, 2);
    s[13] = ':';
    digits(s, 14, ofDay / 60_000 % 60, 2);
    s[16] = ':';
    digits(s, 17, ofDay / 1000 % 60, 2);
    if (fraction) {
      s[19] = '.';
      digits(s, 20, ofDay % 1000, 3);
    }
    s[s.length - 1] = 'Z';
    return new String(s, StandardCharsets.US_ASCII);
  }

  /** Whether the instant prints in the direct shape: a year 0000..9999. */
  static boolean printsDirectly(long epochMillis) {
    return isDirectDay(Math.floorDiv(epochMillis, MILLIS_PER_DAY));
  }

  /** Whether an epoch day falls in the years 0000..9999. */
  private static boolean isDirectDay(long epochDay) {
    return epochDay >= -719_528L && epochDay <= 2_932_896L;
  }

  /**
   * Whether {@code text} is exactly {@code format(epochMillis)}, decided without printing it for the
   * one shape the direct path reads: in that shape (fixed widths, fields in range) text and instant
   * determine each other, so equal instants and the width {@code format} gives mean equal text.
   */
  public static boolean isFormatOf(String text, long epochMillis) {
    long parsed = text.length() == 20 || text.length() == 24 ? parseUtcShape(text) : Long.MIN_VALUE;
    if (parsed == Long.MIN_VALUE) {
      return format(epochMillis).equals(text);
    }
    return parsed == epochMillis && (text.length() == 24) == (Math.floorMod(epochMillis, 1000L) != 0);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} to epoch millis, or Long.MIN_VALUE for any other text. */
  private static long parseUtcShape(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int dayOfMonth = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    int millis = 0;
    if (n > 20) {
      int fraction = n - 21; // between '.' and 'Z'
      if (t.charAt(19) != '.' || fraction < 1 || fraction > 9 || digits(t, 20, fraction) < 0) {
        return Long.MIN_VALUE;
      }
      millis = digits(t, 20, Math.min(fraction, 3));
      for (int i = fraction; i < 3; i++) {
        millis *= 10;
      }
    }
    if ((year | month | dayOfMonth | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
      return Long.MIN_VALUE;
    }
    long day;
    try {
      day = LocalDate.of(year, month, dayOfMonth).toEpochDay();
    } catch (DateTimeException notADate) {
      return Long.MIN_VALUE;
    }
    return day * MILLIS_PER_DAY + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis;
  }

  /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 if any is not a digit. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
  private static void digits(byte[] s, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      s[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
