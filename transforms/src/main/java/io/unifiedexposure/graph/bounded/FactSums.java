package io.unifiedexposure.graph.bounded;

import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.graph.rules.Contribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the counted facts of a bundle's dedup shards add to each (merchant, currency, window), and
 * the earliest event time added there (withdrawn facts included), for {@link DedupBoundedShard}.
 *
 * <p>Each (merchant, currency) met is numbered once, in a small map (30,000 entries with 10,000
 * merchants) that stays in the cache; each (number, window) is a row of primitive arrays, found by
 * open addressing. A bundle keeps every (merchant, currency, window) it met until it finishes (about
 * 830k per task with 10,000 merchants at 5M records): as objects (a key, a sum and a map node each)
 * every lookup chased several of them through memory and the collector copied them all while they
 * lived. The sums are handed out afterwards per aggregation shard and window ({@link
 * #byShardWindow}), each (merchant, currency) in the order first met.
 */
final class FactSums {
  private final WindowGrid grid;
  private final int aggregationShards;

  /** Each (merchant, currency) met, with its number: its index in {@link #keys}. */
  private final Map<Pair, Pair> pairs = new HashMap<>();
  private final List<Pair> keys = new ArrayList<>();
  private final Pair probe = new Pair();

  /** Per (merchant, currency, window), in the order first met: one row across these arrays. */
  private int[] pairOf = new int[1024];
  private long[] windowOf = new long[1024];
  private long[] exposure = new long[1024];
  private long[] facts = new long[1024];
  private long[] earliest = new long[1024];
  private int rows;
  /** Open addressing over the rows: row + 1 per slot, 0 for none; a power of two, at most half full. */
  private int[] slots = new int[2048];

  FactSums(WindowGrid grid, int aggregationShards) {
    this.grid = grid;
    this.aggregationShards = aggregationShards;
  }

  /** A (merchant, currency) and its number; the probe is reused for lookups. */
  private static final class Pair {
    String merchantId;
    String currency;
    int hash;
    int number;
    /** The key as the shard sums write it, encoded once per (merchant, currency), not per window. */
    byte[] encodedKey;
    int shard;

    Pair set(String merchantId, String currency) {
      this.merchantId = merchantId;
      this.currency = currency;
      this.hash = 31 * merchantId.hashCode() + currency.hashCode();
      return this;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pair p && p.merchantId.equals(merchantId) && p.currency.equals(currency);
    }
  }

  /** Adds what a fact contributes (a withdrawn one: its negation) to its (merchant, currency, window). */
  void add(ExposureEvent e, Contribution c) {
    long time = e.eventTime().getMillis();
    int row = rowOf(numberOf(e.merchantId(), e.currency()), grid.windowStart(time));
    exposure[row] += c.exposureMinor();
    facts[row] += c.eventCount();
    earliest[row] = Math.min(earliest[row], time);
  }

  private int numberOf(String merchantId, String currency) {
    Pair pair = pairs.get(probe.set(merchantId, currency));
    if (pair == null) {
      pair = new Pair().set(merchantId, currency);
      pair.number = keys.size();
      ExposureKey key = ExposureKey.of(merchantId, currency);
      pair.encodedKey = ShardSums.encode(key);
      pair.shard = key.aggregationShard(aggregationShards);
      pairs.put(pair, pair);
      keys.add(pair);
    }
    return pair.number;
  }

  /** The row of (pair, window), added when met for the first time. */
  private int rowOf(int pair, long windowStart) {
    int mask = slots.length - 1;
    for (int slot = slotOf(pair, windowStart) & mask; ; slot = (slot + 1) & mask) {
      int held = slots[slot] - 1;
      if (held < 0) {
        int row = newRow(pair, windowStart);
        slots[slot] = row + 1;
        if (rows * 2 > slots.length) {
          rehash();
        }
        return row;
      }
      if (pairOf[held] == pair && windowOf[held] == windowStart) {
        return held;
      }
    }
  }

  private int newRow(int pair, long windowStart) {
    if (rows == pairOf.length) {
      int n = rows * 2;
      pairOf = Arrays.copyOf(pairOf, n);
      windowOf = Arrays.copyOf(windowOf, n);
      exposure = Arrays.copyOf(exposure, n);
      facts = Arrays.copyOf(facts, n);
      earliest = Arrays.copyOf(earliest, n);
    }
    pairOf[rows] = pair;
    windowOf[rows] = windowStart;
    earliest[rows] = Long.MAX_VALUE;
    return rows++;
  }

  /** Twice the slots, every row placed again. */
  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int row = 0; row < rows; row++) {
      int slot = slotOf(pairOf[row], windowOf[row]) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = row + 1;
    }
  }

  /** MurmurHash3's 64-bit finalizer over the pair's number and the window start. */
  private static int slotOf(int pair, long windowStart) {
    long h = windowStart * 0x9E3779B97F4A7C15L + pair;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) h;
  }

  /** An aggregation shard in one window, by the window's start. */
  record ShardWindow(int shard, long windowStart) {}

  /**
   * What one aggregation shard's (merchant, currency) add to one window, and the earliest event time
   * added to any of them (withdrawn facts included).
   */
  record ShardWindowSums(ShardSums totals, long earliest) {}

  /**
   * Per aggregation shard and window ({@link ExposureKey#aggregationShard}): what each (merchant,
   * currency) with facts left adds. A (merchant, currency) where only a withdrawn fact fell has
   * none, and a window with none of those is left out: no row there.
   */
  Map<ShardWindow, ShardWindowSums> byShardWindow() {
    Map<ShardWindow, Gathered> gathered = new HashMap<>();
    for (int row = 0; row < rows; row++) {
      Pair pair = keys.get(pairOf[row]);
      Gathered g = gathered.computeIfAbsent(new ShardWindow(pair.shard, windowOf[row]), w -> new Gathered());
      if (facts[row] != 0) {
        g.totals.add(pair.encodedKey, Contribution.of(exposure[row], facts[row]));
      }
      g.earliest = Math.min(g.earliest, earliest[row]);
    }
    Map<ShardWindow, ShardWindowSums> out = new HashMap<>();
    gathered.forEach(
        (shardWindow, g) -> {
          if (!g.totals.isEmpty()) {
            out.put(shardWindow, new ShardWindowSums(g.totals.build(), g.earliest));
          }
        });
    return out;
  }

  /** One shard window's sums while they are written, and the earliest event time added to it. */
  private static final class Gathered {
    final ShardSums.Writer totals = ShardSums.writer();
    long earliest = Long.MAX_VALUE;
  }
}
