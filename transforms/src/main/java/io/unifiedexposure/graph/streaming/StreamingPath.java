package io.unifiedexposure.graph.streaming;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.graph.rules.Contribution;
import io.unifiedexposure.graph.rules.ExposureWindows;
import io.unifiedexposure.graph.rules.PathOutputs;
import io.unifiedexposure.graph.rules.PathSettings;
import io.unifiedexposure.graph.rules.SumContributions;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The graph for streaming input, record by record: decoded ({@link DecodeRecords}), gathered per dedup
 * shard within a bundle ({@link BatchPerShard}), deduplicated by a stateful stage that tracks the
 * watermark ({@link DedupFacts}), windowed with early, on-time and late
 * panes ({@link ExposureWindows#live}), summed per (merchant, currency) and made projection rows.
 *
 * <pre>
 *   DecodeAndValidate ─┬─ invalid ───────────────────────────────────────→ INVALID
 *                      ├─ (if asked) ValidEventsAsReceived ──────────────→ VALID_EVENTS
 *                      └─ BatchPerShard
 *                         DedupFacts ─┬─ conflicts ──────────────────────→ CONFLICTS
 *                                     ├─ beyond lateness ────────────────→ BEYOND
 *                                     ├─ (if asked) each copy's outcome ─→ LINEAGE
 *                                     └─ facts ─ WindowAndTrigger ─ (if precombining) SumWithinBundle
 *                                                ─ SumPerMerchantCurrency ─ ToProjection → PROJECTIONS
 * </pre>
 *
 * <p>The step names are the live job's Flink operator ids: a savepoint restores state by them, so
 * they do not change.
 */
public final class StreamingPath extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  private final PathSettings settings;

  public StreamingPath(PathSettings settings) {
    this.settings = settings;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> raw) {
    PCollectionTuple decoded =
        raw.apply(
            "DecodeAndValidate",
            ParDo.of(new DecodeRecords(settings.dedupShards))
                .withOutputTags(DecodeRecords.VALID, TupleTagList.of(PathOutputs.INVALID)));
    PCollection<KV<Integer, ReceivedEvent>> valid =
        decoded.get(DecodeRecords.VALID).setCoder(KvCoder.of(VarIntCoder.of(), ReceivedEvent.Coder.INSTANCE));
    TupleTagList dedupOutputs = TupleTagList.of(PathOutputs.CONFLICTS).and(PathOutputs.BEYOND);
    PCollectionTuple deduped =
        valid
            .apply("BatchPerShard", ParDo.of(new BatchPerShard()))
            .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(ReceivedEvent.Coder.INSTANCE)))
            .apply(
                "DedupFacts",
                ParDo.of(new DedupFacts(settings.grid, settings.precombineMillis, settings.lineage))
                    .withOutputTags(
                        DedupFacts.FACTS, settings.lineage ? dedupOutputs.and(PathOutputs.LINEAGE) : dedupOutputs));
    KvCoder<ExposureKey, Contribution> factCoder = KvCoder.of(ExposureKey.coder(), Contribution.Coder.INSTANCE);
    PCollection<KV<ExposureKey, Contribution>> windowed =
        deduped
            .get(DedupFacts.FACTS)
            .setCoder(factCoder)
            .apply("WindowAndTrigger", settings.windows.<KV<ExposureKey, Contribution>>live());
    if (settings.precombineMillis > 0) {
      windowed = windowed.apply("SumWithinBundle", ParDo.of(new SumWithinBundle())).setCoder(factCoder);
    }
    PCollection<ProjectionRow> projections =
        windowed
            .apply("SumPerMerchantCurrency", Combine.perKey(new SumContributions()))
            .apply("ToProjection", ParDo.of(new ProjectKeyPane()));

    return PathOutputs.of(
        projections,
        decoded.get(PathOutputs.INVALID),
        deduped.get(PathOutputs.CONFLICTS),
        deduped.get(PathOutputs.BEYOND),
        settings.validEvents ? valid.apply("ValidEventsAsReceived", Values.create()) : null,
        settings.lineage ? deduped.get(PathOutputs.LINEAGE) : null);
  }
}
