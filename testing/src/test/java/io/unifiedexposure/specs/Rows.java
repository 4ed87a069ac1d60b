package io.unifiedexposure.specs;

import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Small helpers the specs share: windows, expected rows, readable views of outputs. */
final class Rows {
  static final Duration DAY = Duration.standardDays(1);

  private Rows() {}

  static Instant t(String iso) {
    return Instant.parse(iso);
  }

  /** The UTC day window starting at {@code date} (yyyy-mm-dd). */
  static IntervalWindow day(String date) {
    Instant start = Instant.parse(date + "T00:00:00Z");
    return new IntervalWindow(start, start.plus(DAY));
  }

  static ProjectionRow row(
      String merchant, String currency, IntervalWindow w, long exposure, long facts,
      PaneTiming timing, long index, boolean isFinal) {
    return ProjectionRow.of(merchant, currency, w.start(), w.end(), exposure, facts, timing, index, isFinal);
  }

  /** A beyond-lateness fact as {@code eventId@windowStart}. */
  static final class BeyondView extends SimpleFunction<BeyondLateness, String> {
    @Override
    public String apply(BeyondLateness b) {
      return b.event().eventId() + "@" + b.windowStart();
    }
  }

  /** A dead letter as {@code source -> codes}. */
  static final class DeadLetterView extends SimpleFunction<DeadLetter, String> {
    @Override
    public String apply(DeadLetter d) {
      return d.source() + " -> " + String.join(",", d.codes());
    }
  }
}
