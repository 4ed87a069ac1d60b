package io.unifiedexposure.graph.bounded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.graph.rules.Contribution;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The bounded dedup's sums ({@link FactSums}) hand out, per aggregation shard and window, what a
 * map per (merchant, currency, window) gives: over 60,000 facts and withdrawals in about 40,000
 * (merchant, currency, window), so the table grows many times; a key where only a withdrawn fact
 * fell has no entry, and a shard window with nothing else left is not handed out at all.
 */
class FactSumsTest {
  private static final WindowGrid GRID = new WindowGrid(Duration.standardDays(1), Duration.standardDays(3));
  private static final int SHARDS = 16;
  private static final long DAY = Duration.standardDays(1).getMillis();
  private static final long START = Instant.parse("2025-07-01T00:00:00Z").getMillis();

  /** The oracle: per shard window, per (merchant, currency), exposure and facts; and earliest time. */
  private final Map<FactSums.ShardWindow, Map<ExposureKey, long[]>> expected = new HashMap<>();
  private final Map<FactSums.ShardWindow, Long> expectedEarliest = new HashMap<>();
  private final FactSums sums = new FactSums(GRID, SHARDS);

  @Test
  void handsOutWhatAMapPerKeyGives() {
    Random random = new Random(42);
    for (int i = 0; i < 60_000; i++) {
      ExposureEvent e = event("e" + i, "merchant-" + random.nextInt(700), random.nextBoolean() ? "EUR" : "USD",
          START + (long) (random.nextDouble() * 20 * DAY), random.nextInt(1_000_000) - 400_000L);
      add(e, Contribution.of(e.amountMinor(), 1));
      if (i % 10 == 0) { // withdrawn afterwards, as when a later copy wins
        add(e, Contribution.of(-e.amountMinor(), -1));
      }
    }
    // A (merchant, currency) of its own, in a window of its own, where only a withdrawn fact fell.
    ExposureEvent alone = event("alone", "m-ü-alone", "JPY", START + 100 * DAY + 5, 77);
    add(alone, Contribution.of(77, 1));
    add(alone, Contribution.of(-77, -1));

    Map<FactSums.ShardWindow, FactSums.ShardWindowSums> handed = sums.byShardWindow();

    expected.values().forEach(keys -> keys.values().removeIf(sum -> sum[1] == 0));
    expected.values().removeIf(Map::isEmpty);
    assertFalse(expected.isEmpty());
    assertEquals(expected.keySet(), handed.keySet());
    expected.forEach(
        (shardWindow, keys) -> {
          Map<ExposureKey, Contribution> want = new HashMap<>();
          keys.forEach((key, sum) -> want.put(key, Contribution.of(sum[0], sum[1])));
          assertEquals(want, handed.get(shardWindow).totals().toMap(), shardWindow.toString());
          assertEquals(expectedEarliest.get(shardWindow), handed.get(shardWindow).earliest(), shardWindow.toString());
        });
  }

  private void add(ExposureEvent e, Contribution c) {
    sums.add(e, c);
    ExposureKey key = ExposureKey.of(e);
    long time = e.eventTime().getMillis();
    FactSums.ShardWindow shardWindow = new FactSums.ShardWindow(key.aggregationShard(SHARDS), GRID.windowStart(time));
    long[] sum = expected.computeIfAbsent(shardWindow, w -> new HashMap<>()).computeIfAbsent(key, k -> new long[2]);
    sum[0] += c.exposureMinor();
    sum[1] += c.eventCount();
    expectedEarliest.merge(shardWindow, time, Math::min);
  }

  private static ExposureEvent event(String id, String merchant, String currency, long time, long amount) {
    return ExposureEvent.builder()
        .setEventId(id)
        .setMerchantId(merchant)
        .setEventType(EventType.CAPTURE)
        .setAmountMinor(Math.abs(amount))
        .setCurrency(currency)
        .setEventTime(new Instant(time))
        .build();
  }
}
