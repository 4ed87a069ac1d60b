package io.unifiedexposure.pipelines.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.unifiedexposure.contract.EventDecoder;
import java.io.Serializable;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time watermark of one Kafka partition, from the data only: the largest event time seen minus
 * the out-of-orderness bound. It never looks at the wall clock, so history re-published into Kafka
 * yields the same windows as live traffic. A partition with no backlog and no record for the idle
 * timeout stops holding the watermark back: it follows the largest event time seen by any partition
 * of this reader, always minus the bound. When the whole reader is idle, it follows the newest event
 * time at the tail of the whole topic instead, if that is newer ({@link TopicTail}, asked at most
 * once per idle timeout, between 1 and 10 s, on a thread of its own: the answer counts once it has
 * arrived). The topic's tail matters when a runner gives a reader only silent partitions: that reader
 * has no event time of its own to follow, and the pipeline's watermark is the smallest of its
 * readers'. While any partition of the reader still receives records, that partition holds the
 * reader's watermark (the smallest of its partitions') anyway, so the tail is not read.
 *
 * <p>A record whose {@code event_time} cannot be read gets the current watermark as its timestamp;
 * the graph dead-letters it with the reason.
 */
final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private static final JsonFactory JSON = new JsonFactory();

  private final Duration bound;
  private final Reader reader;
  private long maxEventTime = Long.MIN_VALUE;
  private long lastRecordNanos = System.nanoTime();
  private Instant watermark;

  EventTimePolicy(Duration bound, Reader reader, Optional<Instant> previous) {
    this.bound = bound;
    this.reader = reader;
    this.watermark = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    lastRecordNanos = System.nanoTime();
    reader.lastRecordNanos = lastRecordNanos;
    Long t = eventTimeOf(record.getKV().getValue());
    if (t == null) {
      return watermark;
    }
    if (t > maxEventTime) {
      maxEventTime = t;
      reader.maxEventTime.accumulateAndGet(t, Math::max);
    }
    return new Instant(t);
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    long seen = maxEventTime;
    boolean idle = ctx.getMessageBacklog() == 0 && reader.idleSince(lastRecordNanos);
    if (idle) {
      seen = Math.max(seen, reader.newestForIdlePartition());
    }
    if (seen != Long.MIN_VALUE) {
      Instant candidate = new Instant(seen).minus(bound);
      if (candidate.isAfter(watermark)) {
        watermark = candidate;
      }
    }
    return watermark;
  }

  /** The {@code event_time} of a JSON payload, or null when there is none that parses. */
  static Long eventTimeOf(byte[] payload) {
    if (payload == null) {
      return null;
    }
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("event_time".equals(name)) {
          return value == JsonToken.VALUE_STRING ? EventDecoder.parseEventTime(p.getText()) : null;
        }
        p.skipChildren();
      }
      return null;
    } catch (Exception unreadable) {
      return null;
    }
  }

  /** The newest event time known somewhere else (the whole topic), or Long.MIN_VALUE. */
  interface NewestEventTime extends Serializable {
    long newest();
  }

  /**
   * What the partitions of one reader share: the largest event time any of them has seen, when any
   * of them last received a record, and the topic's tail, asked at most once per interval.
   *
   * <p>The tail is asked off the reader's thread ({@link #PROBES}): a probe talks to the brokers and
   * can take seconds, and the runner calls {@code getWatermark} on the thread that reads records.
   * A LiveSpec run once had every DirectRunner worker stuck in a probe or waiting for the lock
   * around it, which stalled the whole job. {@link #newestForIdlePartition} starts a probe when one
   * is due and none is running, and uses the newest answer that has arrived; it never waits.
   */
  static final class Reader {
    /** Daemon threads for tail probes, shared by every reader in the JVM; idle threads end. */
    private static final ExecutorService PROBES =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "exposure-topic-tail-probe");
              t.setDaemon(true);
              return t;
            });

    private final NewestEventTime topicTail;
    private final long idleNanos;
    private final long askIntervalNanos;
    private final AtomicLong maxEventTime = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong tailNewest = new AtomicLong(Long.MIN_VALUE);
    private volatile long lastRecordNanos = System.nanoTime();
    private long tailAskedAt;
    private Future<?> probe;

    Reader(NewestEventTime topicTail, Duration idleTimeout) {
      this.topicTail = topicTail;
      this.idleNanos = idleTimeout.getMillis() * 1_000_000L;
      this.askIntervalNanos =
          Math.max(1_000, Math.min(10_000, idleTimeout.getMillis())) * 1_000_000L;
    }

    /** Whether nothing arrived for the idle timeout since {@code lastRecordNanos}. */
    boolean idleSince(long lastRecordNanos) {
      return System.nanoTime() - lastRecordNanos > idleNanos;
    }

    /**
     * What an idle partition of this reader follows: the reader's largest event time, or the
     * topic's tail (as last answered) when the whole reader is idle and the tail is newer.
     */
    long newestForIdlePartition() {
      if (idleSince(lastRecordNanos)) {
        askTailIfDue();
        return Math.max(maxEventTime.get(), tailNewest.get());
      }
      return maxEventTime.get();
    }

    private synchronized void askTailIfDue() {
      long now = System.nanoTime();
      boolean running = probe != null && !probe.isDone();
      if (!running && (probe == null || now - tailAskedAt >= askIntervalNanos)) {
        tailAskedAt = now;
        probe = PROBES.submit(() -> tailNewest.accumulateAndGet(topicTail.newest(), Math::max));
      }
    }
  }

  /**
   * Makes one policy per partition; the partitions of one reader share a {@link Reader}.
   */
  static final class Factory implements TimestampPolicyFactory<byte[], byte[]> {
    private final Duration bound;
    private final Duration idleTimeout;
    private final NewestEventTime topicTail;
    private transient Reader reader;

    Factory(Duration bound, Duration idleTimeout, NewestEventTime topicTail) {
      this.bound = bound;
      this.idleTimeout = idleTimeout;
      this.topicTail = topicTail;
    }

    @Override
    public synchronized TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      if (reader == null) {
        reader = new Reader(topicTail, idleTimeout);
      }
      return new EventTimePolicy(bound, reader, previousWatermark);
    }
  }
}
