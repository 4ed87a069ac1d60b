package io.unifiedexposure.graph;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Decodes and validates raw records. Valid events leave stamped with their event time and keyed by
 * their dedup shard; every other record leaves as a dead letter with all its reasons.
 */
final class DecodeRecords extends DoFn<RawRecord, KV<Integer, ReceivedEvent>> {
  static final TupleTag<KV<Integer, ReceivedEvent>> VALID = new TupleTag<KV<Integer, ReceivedEvent>>() {};
  static final TupleTag<DeadLetter> INVALID = new TupleTag<DeadLetter>() {};

  private final int shards;
  private final Counter recordsIn = ExposureMetrics.counter(ExposureMetrics.RECORDS_IN);
  private final Counter valid = ExposureMetrics.counter(ExposureMetrics.VALID);
  private final Counter deadLetters = ExposureMetrics.counter(ExposureMetrics.DEAD_LETTERS);
  private transient EventDecoder decoder;

  DecodeRecords(int shards) {
    this.shards = shards;
  }

  @Setup
  public void setup() {
    decoder = EventDecoder.v1();
  }

  @ProcessElement
  public void process(@Element RawRecord raw, MultiOutputReceiver out) {
    recordsIn.inc();
    EventDecoder.Result result = decoder.decode(raw.payload());
    if (result.isValid()) {
      valid.inc();
      int shard = Math.floorMod(result.event.eventId().hashCode(), shards);
      out.get(VALID)
          .outputWithTimestamp(
              KV.of(shard, ReceivedEvent.of(result.event, raw)),
              new Instant(result.event.eventTime().getMillis()));
    } else {
      deadLetters.inc();
      for (Problem p : result.problems) {
        ExposureMetrics.counter(ExposureMetrics.DEAD_LETTER_PREFIX + p.code()).inc();
      }
      out.get(INVALID).output(DeadLetter.of(raw, result.problems));
    }
  }

  /** Events are re-stamped with their event time, which may be earlier than the source's stamp. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
