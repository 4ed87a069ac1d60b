package io.unifiedexposure.graph;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.ExposureEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Dedup for bounded input: one call per dedup shard, over the shard's batches ({@link
 * DecodeIntoShardBatches}), that is every copy of every fact of that shard,
 * with the same winner rule ({@link SeenFact#winsOver}), counters and dead letters as {@link
 * DedupFacts} ({@link DedupOutcomes}).
 *
 * <p>A bounded input reaches this stage whole before its watermark moves, so nothing in it is late
 * or beyond the lateness, and the stage needs no state, timers or clock. It also sees every copy of
 * a fact before deciding, so the outcome does not depend on the order the runner reads them in: the
 * winning copy counts, copies identical to it are duplicates, and every copy with other content is
 * dead-lettered as a conflict with its own payload. (Live, copies are judged as they arrive.)
 *
 * <p>What the shard's counted facts add to each (merchant, currency, window) is summed here and
 * leaves as one map per aggregation shard and window ({@link ExposureKey#aggregationShard}: the key
 * the window sums downstream are grouped by), from (merchant, currency) to its contribution, stamped
 * with the earliest event time of the shard's copies in that window (never before the grouped
 * shard's timestamp, the earliest of all its copies: see {@link ExposureGraph}). Facts are summed in
 * the one pass that meets their copies: a fact met again is corrected afterwards if a later copy
 * wins, and a key left with no fact (only a losing copy fell there) gives no row. So the window aggregation downstream (the same
 * windowing and trigger as for streaming input) meets one element per dedup shard, aggregation
 * shard and window instead of one per fact, or per (merchant, currency) and window: with 10,000
 * merchants the latter was nearly one per fact. Sums are associative, so the totals are the same.
 */
final class DedupBoundedShard
    extends DoFn<KV<Integer, Iterable<ShardBatch>>, KV<Integer, Map<ExposureKey, Contribution>>> {
  /** Per aggregation shard and window: what each (merchant, currency) of the shard adds to it. */
  static final TupleTag<KV<Integer, Map<ExposureKey, Contribution>>> SHARD_SUMS =
      new TupleTag<KV<Integer, Map<ExposureKey, Contribution>>>() {};

  private final WindowGrid grid;
  private final int aggregationShards;
  private final DedupOutcomes outcomes = new DedupOutcomes();

  DedupBoundedShard(WindowGrid grid, int aggregationShards) {
    this.grid = grid;
    this.aggregationShards = aggregationShards;
  }

  /** An aggregation shard in one window, by the window's start. */
  private record ShardWindow(int shard, long windowStart) {}

  /** What one aggregation shard's facts add to one window, and the earliest event time among them. */
  private static final class WindowSums {
    final Map<ExposureKey, long[]> byKey = new HashMap<>();
    long earliest = Long.MAX_VALUE;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<ShardBatch>> shard, MultiOutputReceiver out) {
    // Per event_id: its only copy, or (rarely) a list of all its copies. A list per fact instead
    // measured 15-20% slower on DirectRunner (1M records: 23-25k against 27-29k ev/s).
    Map<String, Object> copies = new HashMap<>(expectedCopies(shard.getValue()));
    List<String> repeated = new ArrayList<>();
    // Per aggregation shard and window: each key's exposure and facts, and the earliest event time
    // added (the output's timestamp).
    Map<ShardWindow, WindowSums> sums = new HashMap<>();
    for (ShardBatch batch : shard.getValue()) {
      for (ShardBatch.Copy copy : batch.events()) {
        ExposureEvent event = copy.event();
        String id = event.eventId();
        Object before = copies.putIfAbsent(id, copy);
        if (before == null) {
          // Counted as it is met, while its event is fresh in the cache: most facts have one copy.
          add(sums, event, outcomes.counted(event));
        } else if (before instanceof ShardBatch.Copy first) {
          repeated.add(id);
          copies.put(id, new ArrayList<>(List.of(first, copy)));
        } else {
          castList(before).add(copy);
        }
      }
      // Refused by the decoder (already counted there): they leave here, where the batch ends.
      for (DeadLetter refused : batch.refused) {
        out.get(DecodeRecords.INVALID).output(refused);
      }
    }
    // A fact met more than once was counted with its first copy met; if another copy wins, the
    // first is taken back and the winner counted instead.
    for (String id : repeated) {
      List<ReceivedEvent> all = new ArrayList<>();
      castList(copies.get(id)).forEach(copy -> all.add(copy.received()));
      int winner = judge(all, out);
      if (winner != 0) {
        ExposureEvent first = all.get(0).event();
        ExposureEvent counts = all.get(winner).event();
        add(sums, first, outcomes.withdrawn(first));
        add(sums, counts, outcomes.counted(counts));
      }
    }
    for (Map.Entry<ShardWindow, WindowSums> e : sums.entrySet()) {
      Map<ExposureKey, Contribution> totals = new HashMap<>();
      e.getValue()
          .byKey
          .forEach(
              (key, sum) -> {
                // No fact left where only a copy that lost fell (it was taken back): no row.
                if (sum[1] != 0) {
                  totals.put(key, Contribution.of(sum[0], sum[1]));
                }
              });
      if (!totals.isEmpty()) {
        out.get(SHARD_SUMS)
            .outputWithTimestamp(KV.of(e.getKey().shard(), totals), new Instant(e.getValue().earliest));
      }
    }
  }

  /**
   * How many copies the shard's batches hold, when the runner hands them over as a collection
   * (FlinkRunner's batch mode does: its grouping concatenates lists), so the map of copies is sized
   * once instead of doubling 15 times (measured: 5% of the dedup's profile samples went to
   * resizing); otherwise 16.
   */
  private static int expectedCopies(Iterable<ShardBatch> batches) {
    if (!(batches instanceof Collection)) {
      return 16;
    }
    long copies = 0;
    for (ShardBatch batch : batches) {
      copies += batch.eventCount();
    }
    return (int) Math.min(1 << 30, copies * 4 / 3 + 1);
  }

  @FinishBundle
  public void finishBundle() {
    outcomes.flushCounts();
  }

  /** The winner among all copies of one fact, by index; the others are duplicates or conflicts. */
  private int judge(List<ReceivedEvent> all, MultiOutputReceiver out) {
    List<SeenFact> seen = new ArrayList<>(all.size());
    int winner = 0;
    for (int i = 0; i < all.size(); i++) {
      seen.add(SeenFact.of(all.get(i)));
      if (seen.get(i).winsOver(seen.get(winner))) {
        winner = i;
      }
    }
    SeenFact best = seen.get(winner);
    for (int i = 0; i < all.size(); i++) {
      if (i == winner) {
        continue;
      }
      // Against the winner, a copy is a duplicate or loses: the rule the streaming stage applies.
      if (DedupOutcomes.judge(best, seen.get(i)) == DedupOutcomes.Verdict.DUPLICATE) {
        outcomes.duplicate();
      } else {
        ReceivedEvent loser = all.get(i);
        out.get(DedupFacts.CONFLICTS).output(outcomes.conflict(loser.raw(), loser.event(), best));
      }
    }
    return winner;
  }

  @SuppressWarnings("unchecked")
  private static List<ShardBatch.Copy> castList(Object o) {
    return (List<ShardBatch.Copy>) o;
  }

  private void add(Map<ShardWindow, WindowSums> sums, ExposureEvent e, Contribution c) {
    ExposureKey key = ExposureKey.of(e);
    long time = e.eventTime().getMillis();
    WindowSums window =
        sums.computeIfAbsent(
            new ShardWindow(key.aggregationShard(aggregationShards), grid.windowStart(time)),
            k -> new WindowSums());
    long[] sum = window.byKey.computeIfAbsent(key, k -> new long[2]);
    sum[0] += c.exposureMinor();
    sum[1] += c.eventCount();
    window.earliest = Math.min(window.earliest, time);
  }
}
