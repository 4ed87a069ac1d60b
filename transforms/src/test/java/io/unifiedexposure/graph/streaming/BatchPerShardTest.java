package io.unifiedexposure.graph.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * One bundle of valid records for three dedup shards: per shard one batch goes on, holding that
 * shard's records in arrival order (a later copy after an earlier one, as the dedup must meet them),
 * stamped with the earliest timestamp among them, in the window its records came in.
 */
class BatchPerShardTest {
  private static final Instant JULY_1 = Instant.parse("2025-07-01T00:00:00Z");

  private final BatchPerShard fn = new BatchPerShard();

  @Test
  void gathersEachShardsRecordsInArrivalOrderStampedWithTheEarliest() {
    ReceivedEvent a = received("evt-1", 9, "kafka:payments/0@1");
    ReceivedEvent b = received("evt-2", 2, "kafka:payments/1@7");
    ReceivedEvent c = received("evt-3", 5, "kafka:payments/0@2");
    ReceivedEvent aAgain = received("evt-1", 9, "kafka:payments/3@40"); // a copy, arriving later
    ReceivedEvent d = received("evt-4", 1, "kafka:payments/2@3");

    fn.startBundle();
    send(3, a);
    send(17, b);
    send(3, c);
    send(3, aAgain);
    send(40, d);
    Collected out = new Collected(fn);
    fn.finishBundle(out);

    assertEquals(
        List.of(
            TimestampedValue.of(KV.of(3, List.of(a, c, aAgain)), hour(5)),
            TimestampedValue.of(KV.of(17, List.of(b)), hour(2)),
            TimestampedValue.of(KV.of(40, List.of(d)), hour(1))),
        out.values.stream().sorted(Comparator.comparing(v -> v.getValue().getKey())).toList());
    assertEquals(List.of(GlobalWindow.INSTANCE), out.windows.stream().distinct().toList());
  }

  @Test
  void aNewBundleStartsFromNothing() {
    ReceivedEvent a = received("evt-1", 9, "kafka:payments/0@1");
    ReceivedEvent b = received("evt-2", 4, "kafka:payments/0@2");
    fn.startBundle();
    send(3, a);
    fn.finishBundle(new Collected(fn));
    fn.startBundle();
    send(3, b);
    Collected out = new Collected(fn);
    fn.finishBundle(out);
    assertEquals(List.of(TimestampedValue.of(KV.of(3, List.of(b)), hour(4))), out.values);
  }

  private void send(int shard, ReceivedEvent r) {
    fn.process(KV.of(shard, r), r.event().eventTime(), GlobalWindow.INSTANCE);
  }

  private static Instant hour(int h) {
    return JULY_1.plus(Duration.standardHours(h));
  }

  private static ReceivedEvent received(String id, int hour, String source) {
    ExposureEvent e = ExposureEvent.builder()
        .setEventId(id)
        .setMerchantId("m1")
        .setEventType(EventType.CAPTURE)
        .setAmountMinor(100)
        .setCurrency("EUR")
        .setEventTime(hour(hour))
        .setCorrectsEventId(null)
        .setSchemaVersion(1)
        .build();
    return ReceivedEvent.of(e, RawRecord.of(("{\"event_id\":\"" + id + "\"}").getBytes(), source, 1_000L));
  }

  /** What the bundle's end hands on, and in which windows. */
  private static final class Collected
      extends DoFn<KV<Integer, ReceivedEvent>, KV<Integer, List<ReceivedEvent>>>.FinishBundleContext {
    final List<TimestampedValue<KV<Integer, List<ReceivedEvent>>>> values = new ArrayList<>();
    final List<BoundedWindow> windows = new ArrayList<>();

    Collected(BatchPerShard fn) {
      fn.super();
    }

    @Override
    public PipelineOptions getPipelineOptions() {
      return PipelineOptionsFactory.create();
    }

    @Override
    public void output(KV<Integer, List<ReceivedEvent>> output, Instant timestamp, BoundedWindow window) {
      values.add(TimestampedValue.of(output, timestamp));
      windows.add(window);
    }

    @Override
    public <T> void output(TupleTag<T> tag, T output, Instant timestamp, BoundedWindow window) {
      throw new AssertionError("no other outputs");
    }
  }
}
