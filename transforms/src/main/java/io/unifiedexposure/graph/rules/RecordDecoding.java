package io.unifiedexposure.graph.rules;

import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureMetrics;
import java.io.Serializable;

/**
 * The graph's first rule, shared by both decode steps ({@code DecodeRecords} for streaming input,
 * {@code DecodeIntoShardBatches} for bounded input): each raw record is decoded and validated by
 * the contract's decoder (or refused for the problem its source could not read it for) and counted
 * in, as valid or as a dead letter by reason (reported per bundle: {@link #flushCounts}); a valid event's
 * dedup shard is a stable hash of its event_id.
 */
public final class RecordDecoding implements Serializable {
  private final int shards;
  private final BundleCounter recordsIn = new BundleCounter(ExposureMetrics.RECORDS_IN);
  private final BundleCounter valid = new BundleCounter(ExposureMetrics.VALID);
  private final BundleCounter deadLetters = new BundleCounter(ExposureMetrics.DEAD_LETTERS);
  private transient EventDecoder decoder;

  public RecordDecoding(int shards) {
    this.shards = shards;
  }

  public int shards() {
    return shards;
  }

  public EventDecoder.Result decode(RawRecord raw) {
    if (decoder == null) {
      decoder = EventDecoder.current();
    }
    recordsIn.inc();
    EventDecoder.Result result = decoder.decode(raw);
    if (result.isValid()) {
      valid.inc();
    } else {
      deadLetters.inc();
      for (Problem p : result.problems) {
        ExposureMetrics.counter(ExposureMetrics.DEAD_LETTER_PREFIX + p.code()).inc();
      }
    }
    return result;
  }

  /** Reports the counts of the bundle's records; each decode step calls it when its bundle ends. */
  public void flushCounts() {
    recordsIn.flush();
    valid.flush();
    deadLetters.flush();
  }

  /**
   * The high bits of a multiplicative hash of the event_id's hash code, not its remainder: with the
   * remainder, every event_id of a shard shares its hash code's low bits, which the hash maps of
   * the dedup used too, and they then collided eight times as often.
   */
  public int shardOf(ExposureEvent event) {
    long mixed = (event.eventId().hashCode() * 0x9E3779B9L) & 0xFFFFFFFFL;
    return (int) ((mixed * shards) >>> 32);
  }
}
