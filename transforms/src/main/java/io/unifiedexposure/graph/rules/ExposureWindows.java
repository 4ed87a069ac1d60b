package io.unifiedexposure.graph.rules;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;

/**
 * The graph's windows, in one place for both paths: fixed event-time windows of {@code size}, data
 * accepted until {@code allowedLateness} after a window's end, panes accumulating. The paths differ
 * only in the trigger ({@link #live} or {@link #onePane}).
 */
public final class ExposureWindows implements Serializable {
  private final Duration size;
  private final Duration allowedLateness;
  private final Duration earlyFiringDelay;

  public ExposureWindows(Duration size, Duration allowedLateness, Duration earlyFiringDelay) {
    this.size = size;
    this.allowedLateness = allowedLateness;
    this.earlyFiringDelay = earlyFiringDelay;
  }

  /**
   * Streaming input: early panes a processing-time delay after a pane's first element; an on-time
   * pane when the watermark passes the window's end (always, so the newest row of a passed window is
   * never EARLY); a late pane per late element (a fact, or the facts the precombine summed); a final
   * pane when the window closes.
   */
  public <T> Window<T> live() {
    return windows(
        AfterWatermark.pastEndOfWindow()
            .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiringDelay))
            .withLateFirings(AfterPane.elementCountAtLeast(1)),
        Window.ClosingBehavior.FIRE_ALWAYS);
  }

  /**
   * Bounded input: the same windows and lateness, one pane each, on time. A bounded input has no
   * late data: the bounded dedup passes its sums on only once every record is read, each stamped no
   * earlier than the watermark it holds, so the watermark passes a window only when all of its facts
   * are summed. An early pane could then only show how fast a runner read, never an answer, and a
   * replay could hold two rows of a window. With one pane per window a replay's projections are its
   * answer as they come, one row per (merchant, currency, window), on every runner. Should a fact
   * still come behind the watermark it gets a late pane, by the same lateness rule as live.
   */
  public <T> Window<T> onePane() {
    return windows(
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)),
        Window.ClosingBehavior.FIRE_IF_NON_EMPTY);
  }

  private <T> Window<T> windows(Trigger trigger, Window.ClosingBehavior closing) {
    return Window.<T>into(FixedWindows.of(size))
        .triggering(trigger)
        .withAllowedLateness(allowedLateness, closing)
        // An ON_TIME pane whenever the watermark passes a window's end, even when nothing arrived
        // since the last early pane: the newest row of a window the watermark has passed then says
        // so, and a consumer can tell a complete window from a speculative one. (The empty final
        // pane Beam fires after a window's state is gone is dropped in ToProjection.)
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_ALWAYS)
        .accumulatingFiredPanes();
  }
}
