package io.unifiedexposure.graph.bounded;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.graph.rules.DedupOutcomes;
import io.unifiedexposure.graph.rules.PathOutputs;
import io.unifiedexposure.graph.rules.SeenFact;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
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
 * <p>What the counted facts add to each (merchant, currency, window) is summed here, over every
 * shard of the bundle, and leaves when the bundle finishes as one {@link ShardSums} per aggregation
 * shard and window ({@code ExposureKey#aggregationShard}: the key the window sums downstream are
 * grouped by), each (merchant, currency) with its contribution, encoded once, stamped with the
 * earliest event time of the copies in that window (never before the timestamp of the grouped
 * shard they came from, the earliest of all its copies: see {@link BoundedPath}). FlinkRunner's
 * batch mode makes one bundle of all the shards a task runs: with 10,000 merchants, nearly every
 * (merchant, currency, window) has a fact in each of the 16 shards, so summing per shard passed on
 * about one entry per fact (4.0M for 4.75M facts at 5M records, 10.5M for 19M at 20M), and summing
 * per bundle at most one per task. Facts are summed in
 * the one pass that meets their copies: a fact met again is corrected afterwards if a later copy
 * wins, and a key left with no fact (only a losing copy fell there) gives no row. So the window
 * aggregation downstream (the same windows as for streaming input, fired once each) meets one element
 * per bundle, aggregation shard and window instead of one per fact, or per (merchant, currency)
 * and window: with 10,000 merchants the latter was nearly one per fact. Sums are associative, so
 * the totals are the same however the runner bundles the shards.
 */
final class DedupBoundedShard
    extends DoFn<KV<Integer, Iterable<ShardBatch>>, KV<Integer, ShardSums>> {
  /** Per aggregation shard and window: what each (merchant, currency) of the shard adds to it. */
  static final TupleTag<KV<Integer, ShardSums>> SHARD_SUMS = new TupleTag<KV<Integer, ShardSums>>() {};

  private final WindowGrid grid;
  private final int aggregationShards;
  /** Whether each copy's outcome is also handed out ({@link PathOutputs#LINEAGE}). */
  private final boolean lineage;
  private final DedupOutcomes outcomes = new DedupOutcomes();
  /** What the bundle's shards have summed so far, per window of the input; handed out when it finishes. */
  private transient Map<BoundedWindow, FactSums> bundleSums;

  DedupBoundedShard(WindowGrid grid, int aggregationShards, boolean lineage) {
    this.grid = grid;
    this.aggregationShards = aggregationShards;
    this.lineage = lineage;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<ShardBatch>> shard, BoundedWindow inputWindow, MultiOutputReceiver out) {
    FactSums sums = bundleSums.computeIfAbsent(inputWindow, w -> new FactSums(grid, aggregationShards));
    // Per event_id, where its first copy is (batch and position, see copyAt); the copies of the
    // few facts met more than once, by where their first copy is, in the order first met again.
    List<ShardBatch> batches = new ArrayList<>();
    FirstCopies firstCopies = new FirstCopies(expectedCopies(shard.getValue()));
    LongFunction<String> idAt = ref -> copyAt(batches, ref).event().eventId();
    Map<Long, List<ShardBatch.Copy>> repeated = new LinkedHashMap<>();
    // With lineage asked for: where every first copy is, its outcome known once all copies are met.
    List<Long> firsts = lineage ? new ArrayList<>() : null;
    for (ShardBatch batch : shard.getValue()) {
      batches.add(batch);
      long batchRef = (long) (batches.size() - 1) << 32;
      for (int i = 0; i < batch.eventCount(); i++) {
        ShardBatch.Copy copy = batch.copy(i);
        ExposureEvent event = copy.event();
        long first = firstCopies.putIfAbsent(event.eventId(), batchRef | i, idAt);
        if (first < 0) {
          // Counted as it is met, while its event is fresh in the cache: most facts have one copy.
          sums.add(event, outcomes.counted(event));
          if (firsts != null) {
            firsts.add(batchRef | i);
          }
        } else {
          repeated.computeIfAbsent(first, f -> new ArrayList<>(List.of(copyAt(batches, f)))).add(copy);
        }
      }
      // Refused by the decoder (already counted there): they leave here, where the batch ends.
      for (DeadLetter refused : batch.refused) {
        out.get(PathOutputs.INVALID).output(refused);
      }
    }
    // A fact met more than once was counted with its first copy met; if another copy wins, the
    // first is taken back and the winner counted instead.
    for (List<ShardBatch.Copy> copies : repeated.values()) {
      List<ReceivedEvent> all = new ArrayList<>(copies.size());
      copies.forEach(copy -> all.add(copy.received()));
      int winner = judge(all, out);
      if (winner != 0) {
        ExposureEvent first = all.get(0).event();
        ExposureEvent counts = all.get(winner).event();
        sums.add(first, outcomes.withdrawn(first));
        sums.add(counts, outcomes.counted(counts));
      }
    }
    if (firsts != null) {
      traceSingles(firsts, repeated, batches, out);
    }
  }

  /**
   * Facts met once count: their lineage. The copies of a fact met again, keyed in {@code repeated}
   * by where its first copy is, were traced by {@link #judge}.
   */
  private void traceSingles(
      List<Long> firsts, Map<Long, List<ShardBatch.Copy>> repeated, List<ShardBatch> batches,
      MultiOutputReceiver out) {
    for (long ref : firsts) {
      if (!repeated.containsKey(ref)) {
        trace(out, SeenFact.of(copyAt(batches, ref).received()), FactLineage.Outcome.COUNTED, null);
      }
    }
  }

  /** Hands out a copy's outcome when the graph was asked for lineage. */
  private void trace(MultiOutputReceiver out, SeenFact copy, FactLineage.Outcome outcome, SeenFact other) {
    if (lineage) {
      out.get(PathOutputs.LINEAGE).output(DedupOutcomes.lineage(grid, copy, outcome, other));
    }
  }

  @StartBundle
  public void startBundle() {
    bundleSums = new HashMap<>();
  }

  /**
   * How many copies the shard's batches hold, when the runner hands them over as a collection
   * (FlinkRunner's batch mode does: its grouping concatenates lists), so the table of first copies
   * is sized once instead of doubling 15 times; otherwise 16.
   */
  private static int expectedCopies(Iterable<ShardBatch> batches) {
    if (!(batches instanceof Collection)) {
      return 16;
    }
    long copies = 0;
    for (ShardBatch batch : batches) {
      copies += batch.eventCount();
    }
    return (int) Math.min(Integer.MAX_VALUE, copies);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    bundleSums.forEach(
        (inputWindow, sums) ->
            sums.byShardWindow()
                .forEach(
                    (window, sum) ->
                        context.output(
                            SHARD_SUMS,
                            KV.of(window.shard(), sum.totals()),
                            new Instant(sum.earliest()),
                            inputWindow)));
    bundleSums = null;
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
        trace(out, best, FactLineage.Outcome.COUNTED, null);
        continue;
      }
      // Against the winner, a copy is a duplicate or loses: the rule the streaming stage applies.
      if (DedupOutcomes.judge(best, seen.get(i)) == DedupOutcomes.Verdict.DUPLICATE) {
        outcomes.duplicate();
        trace(out, seen.get(i), FactLineage.Outcome.DUPLICATE, best);
      } else {
        ReceivedEvent loser = all.get(i);
        out.get(PathOutputs.CONFLICTS).output(outcomes.conflict(loser.raw(), loser.event(), best));
        trace(out, seen.get(i), FactLineage.Outcome.CONFLICT_LOST, best);
      }
    }
    return winner;
  }

  /** The copy a reference names: its batch (high 32 bits) and position in it (low 32 bits). */
  private static ShardBatch.Copy copyAt(List<ShardBatch> batches, long ref) {
    return batches.get((int) (ref >>> 32)).copy((int) ref);
  }
}
