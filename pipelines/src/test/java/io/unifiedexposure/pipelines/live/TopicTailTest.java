package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newest event time of a topic, read from its partitions' tails on a real broker. */
class TopicTailTest {
  @TempDir Path dir;

  @Test
  void readsTheNewestEventTimeOfEveryPartitionsTailSkippingEmptyPartitionsAndBadRecords()
      throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopics(Map.of("payments", 3, "silent", 2));
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
        // Partition 0 stays empty; partition 2's newest record is not JSON.
        send(producer, 1, "{\"event_time\":\"2025-07-01T10:00:00Z\"}");
        send(producer, 1, "{\"event_time\":\"2025-07-03T08:00:00Z\"}");
        send(producer, 1, "{\"event_time\":\"2025-07-02T09:00:00Z\"}"); // out of order: not the newest
        for (int i = 0; i < TopicTail.TAIL + 5; i++) { // older records beyond the tail are not read
          send(producer, 2, "{\"event_time\":\"2025-07-02T00:00:" + String.format("%02d", i) + "Z\"}");
        }
        send(producer, 2, "{not json");
        producer.flush();
      }
      Map<String, Object> secretsStayOut = new HashMap<>();
      secretsStayOut.put("group.id", "the-live-job"); // dropped: the tail is read outside the group
      assertEquals(
          Instant.parse("2025-07-03T08:00:00Z").getMillis(),
          new TopicTail(kafka.bootstrapServers(), "payments", secretsStayOut).newest());
      assertEquals(Long.MIN_VALUE, new TopicTail(kafka.bootstrapServers(), "silent", Map.of()).newest());
      assertEquals(
          Long.MIN_VALUE,
          new TopicTail("127.0.0.1:1", "payments", Map.of("default.api.timeout.ms", 1000)).newest(),
          "an unreachable broker is nothing newer, not a crash");
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Publish.inOrderConfig(Map.of(), kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** One record, acknowledged before the next is sent: the order within a partition is the test's point. */
  private static void send(KafkaProducer<byte[], byte[]> producer, int partition, String json) {
    Publish.one(producer, new ProducerRecord<>("payments", partition, null, json.getBytes(StandardCharsets.UTF_8)));
  }
}
