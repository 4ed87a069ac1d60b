package io.unifiedexposure.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records written outside Beam arrive complete and in order, or the writer says which did not. */
class PublishTest {
  @TempDir Path dir;

  @Test
  void everyRecordArrivesInOrderOnATopicJustCreated() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopics(Map.of("fresh", 3));
      List<ProducerRecord<String, String>> records = new java.util.ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        records.add(new ProducerRecord<>("fresh", i % 3, null, "record-" + i));
      }
      try (KafkaProducer<String, String> p = producer(kafka, Map.of())) {
        Publish.all(p, records);
      }
      List<ConsumerRecord<String, String>> read = ReadBack.topic(kafka.bootstrapServers(), "fresh");
      assertEquals(3000, read.size());
      for (int partition = 0; partition < 3; partition++) {
        int part = partition;
        List<String> values = read.stream().filter(r -> r.partition() == part).map(ConsumerRecord::value)
            .collect(Collectors.toList());
        List<String> expected = records.stream().filter(r -> r.partition() == part).map(ProducerRecord::value)
            .collect(Collectors.toList());
        assertEquals(expected, values, "partition " + part + " in send order");
      }
    }
  }

  /** The test kit's broker outage: a stopped broker refuses, a restarted one has kept its records. */
  @Test
  void aRestartedBrokerKeepsWhatItStoredAndTakesMore() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopics(Map.of("kept", 1));
      try (KafkaProducer<String, String> p = producer(kafka, Map.of())) {
        Publish.all(p, List.of(new ProducerRecord<>("kept", "before")));
      }
      kafka.stop();
      try (KafkaProducer<String, String> p = producer(kafka, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000))) {
        assertThrows(RuntimeException.class, () -> Publish.all(p, List.of(new ProducerRecord<>("kept", "during"))));
      }
      kafka.restart();
      try (KafkaProducer<String, String> p = producer(kafka, Map.of())) {
        Publish.all(p, List.of(new ProducerRecord<>("kept", "after")));
      }
      assertEquals(List.of("before", "after"), ReadBack.topic(kafka.bootstrapServers(), "kept").stream()
          .map(ConsumerRecord::value).collect(Collectors.toList()));
    }
  }

  @Test
  void aRefusedRecordFailsTheWholeSendNamingHowManyAndWhy() throws Exception {
    String tooLarge = "x".repeat(5_000);
    List<ProducerRecord<String, String>> records = List.of(
        new ProducerRecord<>("small", "ok-1"), new ProducerRecord<>("small", tooLarge),
        new ProducerRecord<>("small", "ok-2"));
    IllegalStateException refused;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        KafkaProducer<String, String> p = producer(kafka, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000))) {
      kafka.createTopics(Map.of("small", 1));
      refused = assertThrows(IllegalStateException.class, () -> Publish.all(p, records));
    }
    assertTrue(refused.getMessage().startsWith("Kafka refused 1 of 3 record(s) sent to 'small': "), refused.getMessage());
    assertTrue(refused.getMessage().contains("RecordTooLargeException"), refused.getMessage());
  }

  private static KafkaProducer<String, String> producer(EmbeddedKafka kafka, Map<String, Object> extra) {
    Map<String, Object> cfg = new HashMap<>(extra);
    return new KafkaProducer<>(Publish.inOrderConfig(cfg, kafka.bootstrapServers()), new StringSerializer(),
        new StringSerializer());
  }
}
