package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live watermark comes from the data, never from the wall clock. */
class EventTimePolicyTest {
  private static final Duration BOUND = Duration.standardSeconds(10);
  private static final EventTimePolicy.NewestEventTime NOTHING_ELSEWHERE = () -> Long.MIN_VALUE;

  static final class Ctx extends TimestampPolicy.PartitionContext {
    long backlog;

    @Override
    public long getMessageBacklog() {
      return backlog;
    }

    @Override
    public Instant getBacklogCheckTime() {
      return Instant.now();
    }
  }

  private static KafkaRecord<byte[], byte[]> record(int partition, String json) {
    return new KafkaRecord<>("t", partition, 0, System.currentTimeMillis(), KafkaTimestampType.CREATE_TIME, null,
        new byte[0], json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void caughtUpHistoryKeepsItsEventTimeWatermark() {
    TimestampPolicy<byte[], byte[]> p =
        new EventTimePolicy.Factory(BOUND, Duration.standardHours(1), NOTHING_ELSEWHERE).createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    Ctx ctx = new Ctx();
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, p.getWatermark(ctx), "nothing seen, nothing known");
    Instant ts = p.getTimestampForRecord(ctx, record(0, "{\"event_id\":\"a\",\"event_time\":\"2025-07-01T10:00:00Z\"}"));
    assertEquals(Instant.parse("2025-07-01T10:00:00Z"), ts);
    p.getTimestampForRecord(ctx, record(0, "{\"event_time\":\"2025-07-01T09:00:00Z\"}"));
    ctx.backlog = 0; // caught up: the watermark stays at history's time, not now
    assertEquals(Instant.parse("2025-07-01T09:59:50Z"), p.getWatermark(ctx));
  }

  @Test
  void unreadableRecordsTakeTheWatermarkAndDoNotMoveIt() {
    TimestampPolicy<byte[], byte[]> p =
        new EventTimePolicy.Factory(BOUND, Duration.standardHours(1), NOTHING_ELSEWHERE).createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    Ctx ctx = new Ctx();
    p.getTimestampForRecord(ctx, record(0, "{\"event_time\":\"2025-07-01T10:00:00Z\"}"));
    Instant w = p.getWatermark(ctx);
    assertEquals(w, p.getTimestampForRecord(ctx, record(0, "{not json")));
    assertEquals(w, p.getTimestampForRecord(ctx, record(0, "{\"event_time\":\"2031-01-01T00:00:00\"}")));
    assertEquals(w, p.getWatermark(ctx));
    assertNull(EventTimePolicy.eventTimeOf(null));
  }

  @Test
  void anIdlePartitionFollowsItsBusySiblingInsteadOfHoldingItBack() throws Exception {
    TimestampPolicyFactory<byte[], byte[]> f = new EventTimePolicy.Factory(BOUND, Duration.millis(50), NOTHING_ELSEWHERE);
    TimestampPolicy<byte[], byte[]> busy = f.createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    TimestampPolicy<byte[], byte[]> idle = f.createTimestampPolicy(new TopicPartition("t", 1), Optional.empty());
    Ctx ctx = new Ctx();
    busy.getTimestampForRecord(ctx, record(0, "{\"event_time\":\"2025-07-03T00:00:00Z\"}"));
    idle.getTimestampForRecord(ctx, record(1, "{\"event_time\":\"2025-07-01T00:00:00Z\"}"));
    ctx.backlog = 5;
    Thread.sleep(100);
    assertEquals(Instant.parse("2025-06-30T23:59:50Z"), idle.getWatermark(ctx), "backlog left: not idle");
    ctx.backlog = 0;
    assertEquals(Instant.parse("2025-07-02T23:59:50Z"), idle.getWatermark(ctx), "idle: follows the reader");
  }

  /**
   * A runner can give one reader only partitions that never receive a record. Its watermark would
   * stay at the start of time and hold every window of the pipeline open; once idle, it follows the
   * newest event time at the topic's tail instead (asked at most once per interval).
   */
  @Test
  void aReaderWithOnlySilentPartitionsFollowsTheTopicsTail() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    EventTimePolicy.NewestEventTime tail = () -> {
      asked.incrementAndGet();
      return Instant.parse("2025-07-04T12:00:00Z").getMillis();
    };
    TimestampPolicy<byte[], byte[]> silent =
        new EventTimePolicy.Factory(BOUND, Duration.millis(50), tail)
            .createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    Ctx ctx = new Ctx();
    ctx.backlog = 0;
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, silent.getWatermark(ctx), "not idle yet");
    assertEquals(0, asked.get(), "the tail is read only for an idle partition");
    Thread.sleep(100);
    assertEquals(Instant.parse("2025-07-04T11:59:50Z"), awaitWatermark(silent, ctx, Instant.parse("2025-07-04T11:59:50Z")),
        "idle: the topic's tail");
    silent.getWatermark(ctx);
    assertEquals(1, asked.get(), "at most once per interval");
  }

  /**
   * While a sibling partition still receives records, it holds the reader's watermark (the smallest
   * of its partitions') anyway: an idle partition follows the reader, and the topic is not read.
   * (Idle after 500 ms here, not 50: "the sibling just received a record" must stay true while the
   * test asks, even on a loaded machine.)
   */
  @Test
  void anIdlePartitionBesideABusyOneDoesNotReadTheTopic() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    EventTimePolicy.NewestEventTime tail = () -> {
      asked.incrementAndGet();
      return Instant.parse("2025-07-09T00:00:00Z").getMillis();
    };
    TimestampPolicyFactory<byte[], byte[]> f = new EventTimePolicy.Factory(BOUND, Duration.millis(500), tail);
    TimestampPolicy<byte[], byte[]> busy = f.createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    TimestampPolicy<byte[], byte[]> idle = f.createTimestampPolicy(new TopicPartition("t", 1), Optional.empty());
    Ctx ctx = new Ctx();
    ctx.backlog = 0;
    Thread.sleep(600);
    busy.getTimestampForRecord(ctx, record(0, "{\"event_time\":\"2025-07-03T00:00:00Z\"}"));
    assertEquals(Instant.parse("2025-07-02T23:59:50Z"), idle.getWatermark(ctx), "idle: follows the reader");
    assertEquals(0, asked.get(), "the busy sibling holds the reader's watermark: no need for the tail");
    Thread.sleep(600);
    assertEquals(Instant.parse("2025-07-08T23:59:50Z"), awaitWatermark(idle, ctx, Instant.parse("2025-07-08T23:59:50Z")),
        "the whole reader idle: the tail");
    assertEquals(1, asked.get());
  }

  /**
   * The tail probe talks to the brokers and can take seconds; the runner asks for the watermark on
   * the thread that reads records. A probe that hangs must not hold that thread: the watermark
   * answers at once with what is known, no second probe starts while one runs, and the answer
   * counts once it arrives.
   */
  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSlowTailProbeNeverHoldsTheReadersThread() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    CountDownLatch brokersAnswer = new CountDownLatch(1);
    EventTimePolicy.NewestEventTime hangingTail = () -> {
      asked.incrementAndGet();
      try {
        brokersAnswer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Instant.parse("2025-07-04T12:00:00Z").getMillis();
    };
    TimestampPolicy<byte[], byte[]> silent =
        new EventTimePolicy.Factory(BOUND, Duration.millis(50), hangingTail)
            .createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    Ctx ctx = new Ctx();
    Thread.sleep(100);
    long started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, silent.getWatermark(ctx), "no answer yet");
      Thread.sleep(10);
    }
    long waitedMillis = (System.nanoTime() - started) / 1_000_000 - 20 * 10;
    assertTrue(waitedMillis < 1_000, "getWatermark waited " + waitedMillis + " ms for the probe");
    assertEquals(1, asked.get(), "one probe at a time");
    brokersAnswer.countDown();
    assertEquals(Instant.parse("2025-07-04T11:59:50Z"), awaitWatermark(silent, ctx, Instant.parse("2025-07-04T11:59:50Z")),
        "the answer counts once it arrives");
  }

  /** Polls the watermark (the tail's answer arrives from another thread) for up to 5 s. */
  private static Instant awaitWatermark(TimestampPolicy<byte[], byte[]> p, Ctx ctx, Instant expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    Instant w = p.getWatermark(ctx);
    while (!w.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      w = p.getWatermark(ctx);
    }
    return w;
  }
}
