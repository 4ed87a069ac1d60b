package io.unifiedexposure.testing;

import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.VersionedFact;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.WindowGrid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A seeded random history of facts and one random way for it to arrive: several merchants,
 * currencies and days, about 5% corrections, 10% identical duplicates and 2% conflicting copies,
 * out of order across windows, with a watermark that jumps at random but never closes a window
 * that still has a copy to come (lateness within the bound).
 */
public final class RandomHistory {
  private static final Instant START = Instant.parse("2025-07-01T00:00:00Z");
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

  /** The copies in arrival order; receipt time increases with arrival. */
  public final List<Oracle.Copy> arrivals;

  private final List<Step> steps;
  private final WindowGrid grid;

  private RandomHistory(List<Oracle.Copy> arrivals, List<Step> steps, WindowGrid grid) {
    this.arrivals = arrivals;
    this.steps = steps;
    this.grid = grid;
  }

  /** One arrival, or one watermark advance (when {@code copy} is null). */
  private static final class Step {
    final Oracle.Copy copy;
    final Instant watermark;

    Step(Oracle.Copy copy, Instant watermark) {
      this.copy = copy;
      this.watermark = watermark;
    }
  }

  public static RandomHistory generate(long seed, int facts, int merchants, int days, WindowGrid grid) {
    Random rnd = new Random(seed);
    List<ExposureEvent> events = new ArrayList<>();
    for (int i = 0; i < facts; i++) {
      events.add(nextEvent(rnd, "s" + seed + "-e" + i, merchants, days, events));
    }
    List<ExposureEvent> copies = new ArrayList<>(events);
    for (ExposureEvent e : events) {
      double roll = rnd.nextDouble();
      if (roll < 0.10) {
        copies.add(e); // identical duplicate
      } else if (roll < 0.12) {
        copies.add(e.toBuilder().setAmountMinor(e.amountMinor() + 1 + rnd.nextInt(50)).build()); // conflict
      }
    }
    // Arrival order: event time plus a random delay of up to two days, so days interleave.
    List<long[]> order = new ArrayList<>();
    for (int i = 0; i < copies.size(); i++) {
      long delay = (long) (rnd.nextDouble() * Duration.standardDays(2).getMillis());
      order.add(new long[] {copies.get(i).eventTime().getMillis() + delay, i});
    }
    order.sort(Comparator.comparingLong(a -> a[0]));
    List<Oracle.Copy> arrivals = new ArrayList<>();
    long receivedAt = START.getMillis();
    for (long[] o : order) {
      arrivals.add(new Oracle.Copy(copies.get((int) o[1]), receivedAt++));
    }
    return new RandomHistory(arrivals, schedule(arrivals, grid, rnd), grid);
  }

  /** Interleaves watermark advances that never pass the expiry of a copy still to come. */
  private static List<Step> schedule(List<Oracle.Copy> arrivals, WindowGrid grid, Random rnd) {
    long[] minExpiryAhead = new long[arrivals.size() + 1];
    minExpiryAhead[arrivals.size()] = Long.MAX_VALUE;
    for (int i = arrivals.size() - 1; i >= 0; i--) {
      long expiry = grid.expiry(arrivals.get(i).event.eventTime().getMillis());
      minExpiryAhead[i] = Math.min(minExpiryAhead[i + 1], expiry);
    }
    List<Step> steps = new ArrayList<>();
    long watermark = START.getMillis() - 1;
    long maxSeen = watermark;
    for (int i = 0; i < arrivals.size(); i++) {
      Oracle.Copy c = arrivals.get(i);
      steps.add(new Step(c, null));
      maxSeen = Math.max(maxSeen, c.event.eventTime().getMillis());
      if (rnd.nextDouble() < 0.15) {
        // Somewhere between where it is and the latest it may go (never past a pending expiry),
        // not beyond the newest event time seen so far.
        long ceiling = Math.min(maxSeen, minExpiryAhead[i + 1]);
        if (ceiling > watermark) {
          watermark += (long) (rnd.nextDouble() * (ceiling - watermark));
          steps.add(new Step(null, new Instant(watermark)));
        }
      }
    }
    return steps;
  }

  private static ExposureEvent nextEvent(
      Random rnd, String id, int merchants, int days, List<ExposureEvent> earlier) {
    if (!earlier.isEmpty() && rnd.nextDouble() < 0.05) {
      ExposureEvent target = earlier.get(rnd.nextInt(earlier.size()));
      long amount = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(5_000));
      return Facts.correction(id, target, amount).build();
    }
    EventType[] plain = {EventType.AUTHORIZATION, EventType.CAPTURE, EventType.CAPTURE, EventType.REFUND, EventType.CHARGEBACK};
    long offset = (long) (rnd.nextDouble() * Duration.standardDays(days).getMillis());
    return ExposureEvent.builder()
        .setEventId(id)
        .setMerchantId("m" + rnd.nextInt(merchants))
        .setEventType(plain[rnd.nextInt(plain.length)])
        .setAmountMinor(1 + rnd.nextInt(100_000))
        .setCurrency(CURRENCIES[rnd.nextInt(CURRENCIES.length)])
        .setEventTime(START.plus(offset))
        .build();
  }

  /** The copies as raw records, in arrival order. */
  public List<RawRecord> rawRecords() {
    return raw(arrivals);
  }

  /** The same copies as raw records in another (seeded) order, as a replay may meet them. */
  public List<RawRecord> shuffledRawRecords(long seed) {
    List<Oracle.Copy> copies = new ArrayList<>(arrivals);
    Collections.shuffle(copies, new Random(seed));
    return raw(copies);
  }

  private static List<RawRecord> raw(List<Oracle.Copy> copies) {
    List<RawRecord> out = new ArrayList<>();
    for (Oracle.Copy c : copies) {
      out.add(raw(c));
    }
    return out;
  }

  /** One copy as the raw record a source would hand over: source coordinate and receipt time. */
  private static RawRecord raw(Oracle.Copy c) {
    return Facts.raw(c.event, "history#" + c.receivedAtMillis, c.receivedAtMillis);
  }

  /** The arrival schedule as a TestStream: elements stamped with event time, watermark steps only. */
  public TestStream<RawRecord> testStream() {
    return testStream(Collections.emptyList(), 0);
  }

  /**
   * The arrival schedule with reference data versions (FX rates, limits) among the copies, each at a random (seeded) place
   * before the watermark passes its day's expiry, so every rate arrives within the lateness, some
   * before their day's facts, some after its on-time pane.
   */
  public TestStream<RawRecord> testStream(List<? extends VersionedFact<?>> rates, long seed) {
    Random rnd = new Random(seed);
    Map<Integer, List<VersionedFact<?>>> before = new HashMap<>();
    long[] watermarkAt = new long[steps.size() + 1];
    long watermark = START.getMillis() - 1;
    for (int i = 0; i < steps.size(); i++) {
      watermarkAt[i] = watermark;
      if (steps.get(i).copy == null) {
        watermark = steps.get(i).watermark.getMillis();
      }
    }
    watermarkAt[steps.size()] = watermark;
    for (VersionedFact<?> rate : rates) {
      long expiry = grid.expiry(rate.dayStartMillis());
      int open = 0;
      while (open < steps.size() && watermarkAt[open + 1] < expiry) {
        open++;
      }
      before.computeIfAbsent(rnd.nextInt(open + 1), k -> new ArrayList<>()).add(rate);
    }
    TestStream.Builder<RawRecord> stream = TestStream.create(RawRecord.coder());
    List<TimestampedValue<RawRecord>> batch = new ArrayList<>();
    for (int i = 0; i <= steps.size(); i++) {
      for (VersionedFact<?> rate : before.getOrDefault(i, Collections.emptyList())) {
        batch.add(TimestampedValue.of(rate.toRaw(), new Instant(rate.dayStartMillis())));
      }
      if (i == steps.size()) {
        break;
      }
      Step s = steps.get(i);
      if (s.copy != null) {
        batch.add(TimestampedValue.of(raw(s.copy), s.copy.event.eventTime()));
      } else {
        stream = flush(stream, batch).advanceWatermarkTo(s.watermark);
      }
    }
    return flush(stream, batch).advanceWatermarkToInfinity();
  }

  private static TestStream.Builder<RawRecord> flush(
      TestStream.Builder<RawRecord> stream, List<TimestampedValue<RawRecord>> batch) {
    if (batch.isEmpty()) {
      return stream;
    }
    @SuppressWarnings("unchecked")
    TimestampedValue<RawRecord>[] rest = batch.subList(1, batch.size()).toArray(new TimestampedValue[0]);
    TestStream.Builder<RawRecord> out = stream.addElements(batch.get(0), rest);
    batch.clear();
    return out;
  }
}
