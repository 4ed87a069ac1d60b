package io.unifiedexposure.graph;

import org.joda.time.Duration;

/** Options carry durations as ISO-8601 text; this turns them into Durations, naming the flag when wrong. */
public final class IsoDurations {
  private IsoDurations() {}

  public static Duration parse(String flag, String iso) {
    try {
      return Duration.millis(java.time.Duration.parse(iso).toMillis());
    } catch (java.time.format.DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--" + flag + "=" + iso + " is not an ISO-8601 duration (e.g. P1D, PT30S)", e);
    }
  }

  /** A duration flag that may be zero but not negative. */
  public static Duration nonNegative(String flag, String iso) {
    Duration d = parse(flag, iso);
    if (d.getMillis() < 0) {
      throw new IllegalArgumentException("--" + flag + "=" + iso + " must not be negative");
    }
    return d;
  }

  /** A duration flag that must be above zero. */
  public static Duration positive(String flag, String iso) {
    Duration d = parse(flag, iso);
    if (d.getMillis() <= 0) {
      throw new IllegalArgumentException("--" + flag + "=" + iso + " must be positive");
    }
    return d;
  }
}
