package io.unifiedexposure.graph.bounded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A shard batch gives back, after its coder, every event with the very raw record it was added
 * with: typed rows in the event's own wire form (stored as source and receipt time only), typed
 * rows in another form, text payloads, sources with and without a shared beginning; and its refused
 * records.
 */
class ShardBatchTest {
  @Test
  void everyCopyComesBackWithTheRawRecordItWasAddedWith() throws Exception {
    List<ReceivedEvent> added = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      ExposureEvent e = event(i);
      RawRecord raw;
      switch (i % 5) {
        case 0: // our archive's row: typed, the event's own wire form
          raw = RawRecord.ofFields(EventEncoder.fields(e), "file:/a/part-" + (i % 3) + ".parquet#" + i, 1_000L + i);
          break;
        case 1: // typed but not in the canonical form: schema_version written as a long
          List<JsonNode> other = new ArrayList<>(EventEncoder.fields(e));
          other.replaceAll(v -> v instanceof IntNode ? com.fasterxml.jackson.databind.node.LongNode.valueOf(v.longValue()) : v);
          raw = RawRecord.ofFields(other, "file:/b.parquet#" + i + " (kafka:t/0@" + i + ")", i);
          break;
        case 2: // text as received from Kafka, not byte for byte canonical
          raw = RawRecord.of((" " + EventEncoder.toJson(e)).getBytes(), "kafka:payments/1@" + i, i);
          break;
        case 3: // a typed canonical row whose source has no '#'
          raw = RawRecord.ofFields(EventEncoder.fields(e), "replayed-by-hand-" + i, 7L);
          break;
        default: // a typed canonical row whose source starts with '#'
          raw = RawRecord.ofFields(EventEncoder.fields(e), "#" + i + "#x", -3L);
      }
      added.add(ReceivedEvent.of(e, raw));
    }
    ShardBatch.Builder builder = new ShardBatch.Builder();
    added.forEach(builder::add);
    DeadLetter refused = DeadLetter.of(RawRecord.of("{".getBytes(), "kafka:payments/0@9", 9L),
        List.of(Problem.of("payload", "malformed_json", "unexpected end")));
    builder.add(refused);
    assertEquals(2_501, builder.size());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ShardBatch.Coder.INSTANCE.encode(builder.build(), bytes);
    ShardBatch batch = ShardBatch.Coder.INSTANCE.decode(new ByteArrayInputStream(bytes.toByteArray()));

    List<ReceivedEvent> back = new ArrayList<>();
    for (ShardBatch.Copy copy : batch.events()) {
      back.add(copy.received());
    }
    assertEquals(added, back, "every event with its own raw record, in order");
    assertEquals(List.of(refused), batch.refused);
    int canonical = 0;
    for (ReceivedEvent r : added) {
      canonical += r.raw().fields() != null && r.raw().fields().equals(EventEncoder.fields(r.event())) ? 1 : 0;
    }
    assertEquals(1_500, canonical, "three in five were stored as source and receipt time only");
    assertTrue(bytes.size() < 2_500 * 150, "a batch of 2,500 copies took " + bytes.size() + " bytes");
  }

  private static ExposureEvent event(int i) {
    boolean correction = i % 7 == 0;
    return ExposureEvent.builder()
        .setEventId("evt-" + i)
        .setMerchantId("m" + (i % 11))
        .setEventType(correction ? EventType.CORRECTION : EventType.CAPTURE)
        .setAmountMinor(correction ? -5 - i : 100 + i)
        .setCurrency(i % 2 == 0 ? "EUR" : "USD")
        .setEventTime(new Instant(1_751_328_000_000L + i * 997L))
        .setCorrectsEventId(correction ? "evt-" + (i - 1) : null)
        .setSchemaVersion(1)
        .build();
  }
}
