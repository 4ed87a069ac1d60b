package io.unifiedexposure.graph.bounded;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.rules.ExposureWindows;
import io.unifiedexposure.graph.rules.PathOutputs;
import io.unifiedexposure.graph.rules.PathSettings;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The graph for bounded input (replays, backfills, reconcile): an execution shortcut, held to the
 * same answer as {@code StreamingPath} by the convergence specs. A bounded input has no late data,
 * so instead of judging record by record it works shard by shard:
 *
 * <pre>
 *   DecodeIntoShardBatches ─┬─ (if asked) ValidEventsAsReceived ─────────────────→ VALID_EVENTS
 *                           └─ EarliestTimestamp ─ GroupByDedupShard ─ DedupShards ─┬─ refused → INVALID
 *                                                                                   ├─ conflicts → CONFLICTS
 *                                                                                   ├─ (none) → BEYOND
 *                                                                                   ├─ (if asked) lineage → LINEAGE
 *                                                                                   └─ shard sums ─ OnePanePerWindow
 *                                                   ─ SumPerAggregationShard ─ ToProjection → PROJECTIONS
 * </pre>
 *
 * <ul>
 *   <li>records are decoded into batches per dedup shard, one output whose refused records leave
 *       after the shuffle ({@link DecodeIntoShardBatches});
 *   <li>dedup is one pass per dedup shard over all its copies, by the same winner rule and with the
 *       same counters and dead letters ({@link DedupBoundedShard});
 *   <li>the window sums are keyed by aggregation shard rather than by (merchant, currency) ({@link
 *       SumShardSums}), each shard's pane then one row per (merchant, currency) ({@link
 *       ProjectShardPane});
 *   <li>windows fire once each, on time ({@link ExposureWindows#onePane}).
 * </ul>
 */
public final class BoundedPath extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  private final PathSettings settings;

  public BoundedPath(PathSettings settings) {
    this.settings = settings;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> raw) {
    PCollection<KV<Integer, ShardBatch>> batches =
        raw.apply("DecodeIntoShardBatches", ParDo.of(new DecodeIntoShardBatches(settings.dedupShards)))
            .setCoder(KvCoder.of(VarIntCoder.of(), ShardBatch.Coder.INSTANCE));
    // Grouped batches carry the earliest batch's timestamp and hold the watermark there, not at the
    // end of the global window, so the window sums emitted from them are on time downstream.
    TupleTagList dedupOutputs =
        TupleTagList.of(PathOutputs.CONFLICTS).and(PathOutputs.BEYOND).and(PathOutputs.INVALID);
    PCollectionTuple deduped =
        batches
            .apply(
                "EarliestTimestamp",
                Window.<KV<Integer, ShardBatch>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
            .apply("GroupByDedupShard", GroupByKey.create())
            .apply(
                "DedupShards",
                ParDo.of(new DedupBoundedShard(settings.grid, settings.dedupShards, settings.lineage))
                    .withOutputTags(
                        DedupBoundedShard.SHARD_SUMS,
                        settings.lineage ? dedupOutputs.and(PathOutputs.LINEAGE) : dedupOutputs));
    PCollection<ProjectionRow> projections =
        deduped
            .get(DedupBoundedShard.SHARD_SUMS)
            .setCoder(KvCoder.of(VarIntCoder.of(), ShardSums.Coder.INSTANCE))
            .apply("OnePanePerWindow", settings.windows.<KV<Integer, ShardSums>>onePane())
            .apply("SumPerAggregationShard", Combine.perKey(new SumShardSums()))
            .apply("ToProjection", ParDo.of(new ProjectShardPane()));

    return PathOutputs.of(
        projections,
        deduped.get(PathOutputs.INVALID),
        deduped.get(PathOutputs.CONFLICTS),
        deduped.get(PathOutputs.BEYOND),
        settings.validEvents ? batches.apply("ValidEventsAsReceived", ParDo.of(new EventsOfBatch())) : null,
        settings.lineage ? deduped.get(PathOutputs.LINEAGE) : null);
  }
}
