package io.unifiedexposure.graph.streaming;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.graph.rules.PathOutputs;
import io.unifiedexposure.graph.rules.RecordDecoding;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Decodes and validates raw records of streaming input ({@link RecordDecoding}). Valid events leave
 * stamped with their event time and keyed by their dedup shard; every other record leaves as a dead
 * letter with all its reasons.
 */
final class DecodeRecords extends DoFn<RawRecord, KV<Integer, ReceivedEvent>> {
  static final TupleTag<KV<Integer, ReceivedEvent>> VALID = new TupleTag<KV<Integer, ReceivedEvent>>() {};

  private final RecordDecoding decoding;

  DecodeRecords(int shards) {
    this.decoding = new RecordDecoding(shards);
  }

  @ProcessElement
  public void process(@Element RawRecord raw, MultiOutputReceiver out) {
    EventDecoder.Result result = decoding.decode(raw);
    if (result.isValid()) {
      out.get(VALID)
          .outputWithTimestamp(
              KV.of(decoding.shardOf(result.event), ReceivedEvent.of(result.event, raw)),
              new Instant(result.event.eventTime().getMillis()));
    } else {
      out.get(PathOutputs.INVALID).output(DeadLetter.of(raw, result.problems));
    }
  }

  @FinishBundle
  public void finishBundle() {
    decoding.flushCounts();
  }

  /** Events are re-stamped with their event time, which may be earlier than the source's stamp. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
