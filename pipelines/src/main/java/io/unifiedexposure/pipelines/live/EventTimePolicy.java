package io.unifiedexposure.pipelines.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.unifiedexposure.contract.EventDecoder;
import java.io.Serializable;
import java.util.Optional;
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
 * of this reader, or, newer still, the newest event time at the tail of the whole topic ({@link
 * TopicTail}, read at most once per idle timeout, between 1 and 10 s), always minus the bound. The
 * topic's tail matters when a runner gives a reader only silent partitions: that reader has no event
 * time of its own to follow, and the pipeline's watermark is the smallest of its readers'.
 *
 * <p>A record whose {@code event_time} cannot be read gets the current watermark as its timestamp;
 * the graph dead-letters it with the reason.
 */
final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private static final JsonFactory JSON = new JsonFactory();

  private final Duration bound;
  private final Duration idleTimeout;
  private final AtomicLong readerMaxEventTime;
  private final TopicWatch topicWatch;
  private long maxEventTime = Long.MIN_VALUE;
  private long lastRecordNanos = System.nanoTime();
  private Instant watermark;

  EventTimePolicy(
      Duration bound,
      Duration idleTimeout,
      AtomicLong readerMaxEventTime,
      TopicWatch topicWatch,
      Optional<Instant> previous) {
    this.bound = bound;
    this.idleTimeout = idleTimeout;
    this.readerMaxEventTime = readerMaxEventTime;
    this.topicWatch = topicWatch;
    this.watermark = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    lastRecordNanos = System.nanoTime();
    Long t = eventTimeOf(record.getKV().getValue());
    if (t == null) {
      return watermark;
    }
    if (t > maxEventTime) {
      maxEventTime = t;
      readerMaxEventTime.accumulateAndGet(t, Math::max);
    }
    return new Instant(t);
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    long seen = maxEventTime;
    boolean idle = ctx.getMessageBacklog() == 0
        && System.nanoTime() - lastRecordNanos > idleTimeout.getMillis() * 1_000_000L;
    if (idle) {
      seen = Math.max(seen, Math.max(readerMaxEventTime.get(), topicWatch.newest()));
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
   * Asks a {@link NewestEventTime} at most once per interval and remembers the newest answer; shared
   * by the partitions of one reader.
   */
  static final class TopicWatch {
    private final NewestEventTime source;
    private final long intervalNanos;
    private long askedAt;
    private boolean asked;
    private long newest = Long.MIN_VALUE;

    TopicWatch(NewestEventTime source, Duration interval) {
      this.source = source;
      this.intervalNanos = interval.getMillis() * 1_000_000L;
    }

    synchronized long newest() {
      long now = System.nanoTime();
      if (!asked || now - askedAt >= intervalNanos) {
        asked = true;
        askedAt = now;
        newest = Math.max(newest, source.newest());
      }
      return newest;
    }
  }

  /**
   * Makes one policy per partition; the partitions of one reader share their largest event time and
   * their watch on the topic's tail.
   */
  static final class Factory implements TimestampPolicyFactory<byte[], byte[]> {
    private final Duration bound;
    private final Duration idleTimeout;
    private final NewestEventTime topicTail;
    private transient AtomicLong readerMax;
    private transient TopicWatch topicWatch;

    Factory(Duration bound, Duration idleTimeout, NewestEventTime topicTail) {
      this.bound = bound;
      this.idleTimeout = idleTimeout;
      this.topicTail = topicTail;
    }

    @Override
    public synchronized TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      if (readerMax == null) {
        readerMax = new AtomicLong(Long.MIN_VALUE);
        long interval =
            Math.max(1_000, Math.min(10_000, idleTimeout.getMillis()));
        topicWatch = new TopicWatch(topicTail, Duration.millis(interval));
      }
      return new EventTimePolicy(bound, idleTimeout, readerMax, topicWatch, previousWatermark);
    }
  }
}
