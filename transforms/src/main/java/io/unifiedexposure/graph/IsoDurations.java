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
}
