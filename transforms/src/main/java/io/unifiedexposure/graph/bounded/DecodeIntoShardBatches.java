package io.unifiedexposure.graph.bounded;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.graph.rules.RecordDecoding;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Decodes and validates raw records of bounded input by the same rule as {@code DecodeRecords}
 * ({@link RecordDecoding}), and gathers them per dedup shard into batches of up to {@value
 * #BATCH_SIZE} records: valid events by their event_id's shard, refused records (kept whole, with
 * every reason) by a hash of their source. A batch leaves when it is full or its bundle ends,
 * stamped with the earliest time among its records, keyed by its shard's {@link DedupShardKeys key}.
 *
 * <p>One output, of few and large elements, is the point. On FlinkRunner's batch mode a step with
 * two outputs is a chain break (each output's consumer decodes every element of both), and the dedup
 * shuffle sorts its elements by comparing encoded keys: per record, both cost more than the whole
 * dedup. Batches of a thousand records make both per batch. {@link DedupBoundedShard} sees every
 * record of a shard after the shuffle either way, so the outcome is the same.
 */
final class DecodeIntoShardBatches extends DoFn<RawRecord, KV<Integer, ShardBatch>> {
  static final int BATCH_SIZE = 1000;

  private final RecordDecoding decoding;
  private transient Map<BoundedWindow, Pending[]> pending;

  DecodeIntoShardBatches(int shards) {
    this.decoding = new RecordDecoding(shards);
  }

  /** A shard's batch being filled, and the earliest time among its records. */
  private static final class Pending {
    final ShardBatch.Builder batch = new ShardBatch.Builder();
    long earliest = Long.MAX_VALUE;
  }

  @StartBundle
  public void startBundle() {
    pending = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element RawRecord raw,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      OutputReceiver<KV<Integer, ShardBatch>> out) {
    EventDecoder.Result result = decoding.decode(raw);
    Pending[] shards = pending.computeIfAbsent(window, w -> new Pending[decoding.shards()]);
    int shard;
    long time;
    if (result.isValid()) {
      shard = decoding.shardOf(result.event);
      time = result.event.eventTime().getMillis();
    } else {
      shard = Math.floorMod(raw.source().hashCode(), decoding.shards());
      time = timestamp.getMillis();
    }
    Pending p = shards[shard] == null ? (shards[shard] = new Pending()) : shards[shard];
    if (result.isValid()) {
      p.batch.add(ReceivedEvent.of(result.event, raw));
    } else {
      p.batch.add(DeadLetter.of(raw, result.problems));
    }
    p.earliest = Math.min(p.earliest, time);
    if (p.batch.size() >= BATCH_SIZE) {
      out.outputWithTimestamp(KV.of(DedupShardKeys.of(shard), p.batch.build()), new Instant(p.earliest));
      shards[shard] = null;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    pending.forEach(
        (window, shards) -> {
          for (int shard = 0; shard < shards.length; shard++) {
            if (shards[shard] != null) {
              context.output(
                  KV.of(DedupShardKeys.of(shard), shards[shard].batch.build()),
                  new Instant(shards[shard].earliest),
                  window);
            }
          }
        });
    pending = null;
    decoding.flushCounts();
  }

  /** Batches are stamped with their earliest event time, which may be earlier than a record's stamp. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
