package io.unifiedexposure.graph;

import java.io.Serializable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event-time arithmetic of fixed windows with allowed lateness, in one place: which window a
 * timestamp falls in, when that window's on-time pane is due (its max timestamp) and when it
 * expires (max timestamp + allowed lateness). Both instants lie on regular grids, which lets the
 * dedup stage learn where the watermark is with one timer at a time.
 */
public final class WindowGrid implements Serializable {
  private final long size;
  private final long lateness;

  public WindowGrid(Duration size, Duration allowedLateness) {
    this.size = size.getMillis();
    this.lateness = allowedLateness.getMillis();
  }

  public long windowStart(long timestamp) {
    return timestamp - Math.floorMod(timestamp, size);
  }

  public long windowEnd(long timestamp) {
    return windowStart(timestamp) + size;
  }

  /** The window's max timestamp: the watermark passing it makes the window's data late. */
  public long maxTimestamp(long timestamp) {
    return windowEnd(timestamp) - 1;
  }

  /** When the window closes: data for it after the watermark passes this is beyond lateness. */
  public long expiry(long timestamp) {
    return maxTimestamp(timestamp) + lateness;
  }

  /** The first instant after {@code t} that is a window max timestamp or a window expiry. */
  public long nextBoundaryAfter(long t) {
    return Math.min(nextOnGrid(t, -1), nextOnGrid(t, lateness - 1));
  }

  private long nextOnGrid(long t, long offset) {
    long k = Math.floorDiv(t - offset, size) + 1;
    return k * size + offset;
  }

  public Instant startInstant(long timestamp) {
    return new Instant(windowStart(timestamp));
  }

  public Instant endInstant(long timestamp) {
    return new Instant(windowEnd(timestamp));
  }
}
