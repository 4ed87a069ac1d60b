package io.unifiedexposure.graph.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.rules.Contribution;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * One bundle of hand-ons from several dedup shards: per (merchant, currency, window) one sum goes
 * on, stamped with its earliest part; a key whose parts cancel out goes on not at all.
 */
class SumWithinBundleTest {
  private static final Instant JULY_1 = Instant.parse("2025-07-01T00:00:00Z");
  private static final IntervalWindow DAY_1 = new IntervalWindow(JULY_1, Duration.standardDays(1));
  private static final IntervalWindow DAY_2 = new IntervalWindow(DAY_1.end(), Duration.standardDays(1));
  private static final ExposureKey M1_EUR = ExposureKey.of("m1", "EUR");
  private static final ExposureKey M2_EUR = ExposureKey.of("m2", "EUR");

  private final SumWithinBundle fn = new SumWithinBundle();

  @Test
  void sumsEachKeyAndWindowOfABundleOnceAtItsEarliestPart() {
    fn.startBundle();
    hand(M1_EUR, 100, 1, JULY_1.plus(Duration.standardHours(9)), DAY_1); // shard 3
    hand(M1_EUR, 250, 2, JULY_1.plus(Duration.standardHours(2)), DAY_1); // shard 17
    hand(M1_EUR, 40, 1, DAY_2.start().plus(Duration.standardHours(1)), DAY_2); // the next day stays apart
    hand(M2_EUR, 70, 1, JULY_1.plus(Duration.standardHours(5)), DAY_1); // counted on one shard...
    hand(M2_EUR, -70, -1, JULY_1.plus(Duration.standardHours(4)), DAY_1); // ...withdrawn on another
    Collected out = new Collected(fn);
    fn.finishBundle(out);

    assertEquals(
        List.of(
            KV.of(DAY_1, TimestampedValue.of(KV.of(M1_EUR, Contribution.of(350, 3)), JULY_1.plus(Duration.standardHours(2)))),
            KV.of(DAY_2, TimestampedValue.of(KV.of(M1_EUR, Contribution.of(40, 1)), DAY_2.start().plus(Duration.standardHours(1))))),
        out.values.stream().sorted((a, b) -> a.getKey().start().compareTo(b.getKey().start())).toList());
  }

  @Test
  void aNewBundleStartsFromNothing() {
    fn.startBundle();
    hand(M1_EUR, 100, 1, JULY_1, DAY_1);
    fn.finishBundle(new Collected(fn));
    fn.startBundle();
    hand(M1_EUR, 5, 1, JULY_1.plus(Duration.standardHours(1)), DAY_1);
    Collected out = new Collected(fn);
    fn.finishBundle(out);
    assertEquals(
        List.of(KV.of(DAY_1, TimestampedValue.of(KV.of(M1_EUR, Contribution.of(5, 1)), JULY_1.plus(Duration.standardHours(1))))),
        out.values);
  }

  private void hand(ExposureKey key, long exposure, long facts, Instant at, IntervalWindow window) {
    fn.process(KV.of(key, Contribution.of(exposure, facts)), at, window);
  }

  /** What the bundle's end hands on, with each value's window. */
  private static final class Collected
      extends DoFn<KV<ExposureKey, Contribution>, KV<ExposureKey, Contribution>>.FinishBundleContext {
    final List<KV<IntervalWindow, TimestampedValue<KV<ExposureKey, Contribution>>>> values = new ArrayList<>();

    Collected(SumWithinBundle fn) {
      fn.super();
    }

    @Override
    public PipelineOptions getPipelineOptions() {
      return PipelineOptionsFactory.create();
    }

    @Override
    public void output(KV<ExposureKey, Contribution> output, Instant timestamp, BoundedWindow window) {
      values.add(KV.of((IntervalWindow) window, TimestampedValue.of(output, timestamp)));
    }

    @Override
    public <T> void output(TupleTag<T> tag, T output, Instant timestamp, BoundedWindow window) {
      throw new AssertionError("no other outputs");
    }
  }
}
