package io.unifiedexposure.tools.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.live.LiveExposure;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.live.LiveRun;
import io.unifiedexposure.testing.EmbeddedKafka;
import io.unifiedexposure.testing.HostileRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The battery on a real broker: every hostile record ({@link HostileRecords}, among them a 900 KB
 * value whose dead letter would once have exceeded the producer's limit and failed the job on
 * every restart) and a tombstone, then one good record. Each refused record is dead-lettered once
 * with its reasons, the valid ones count, the good record after them counts, and the job is still
 * running.
 */
class HostileLiveSpec {
  @org.junit.jupiter.api.io.TempDir static Path dir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void everyHostileRecordIsDeadLetteredOnceAndTheJobKeepsRunning(String runner) throws Exception {
    String name = "hostile-" + runner.toLowerCase();
    LiveOptions live = PipelineOptionsFactory.fromArgs("--runner=" + runner).as(LiveOptions.class);
    if (runner.equals("FlinkRunner")) {
      live = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1")
          .as(LiveOptions.class);
    }
    OnBroker.configure(live, name, kafka, dir, 1);

    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<Long, String> expectedReasons = new TreeMap<>();
    Map<String, Long> validByMerchant = new HashMap<>();
    EventDecoder decoder = EventDecoder.current();
    for (HostileRecords.Case c : HostileRecords.all()) {
      if (c.valid()) {
        validByMerchant.merge(decoder.decode(c.payload).event.merchantId(), 1L, Long::sum);
      } else {
        expectedReasons.put((long) records.size(), c.codes);
      }
      records.add(new ProducerRecord<>(live.getInputTopic(), null, c.payload));
    }
    expectedReasons.put((long) records.size(), "record.not_an_object");
    records.add(new ProducerRecord<>(live.getInputTopic(), "m1".getBytes(StandardCharsets.UTF_8), null)); // tombstone
    records.add(new ProducerRecord<>(live.getInputTopic(), null,
        HostileRecords.good("after-the-battery").getBytes(StandardCharsets.UTF_8)));
    validByMerchant.merge("m1", 1L, Long::sum);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
        Publish.inOrderConfig(Map.of(), kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      Publish.all(p, records);
    }

    PipelineResult job = LiveExposure.create(live).run();
    try {
      LiveRun.awaitRecords(kafka.bootstrapServers(), live.getDeadLetterTopic(), expectedReasons.size());
      Map<String, ProjectionRow> newest = awaitCounts(live, validByMerchant);
      assertEquals(PipelineResult.State.RUNNING, job.getState(), "the job kept running");
      newest.values().forEach(r -> assertEquals(validByMerchant.get(r.merchantId()).longValue(), r.eventCount(), r.toString()));
    } finally {
      job.cancel();
    }

    Map<Long, String> reasons = new TreeMap<>();
    for (ConsumerRecord<String, String> r : ReadBack.topic(kafka.bootstrapServers(), live.getDeadLetterTopic())) {
      JsonNode d = Json.parse(r.value());
      List<String> codes = new ArrayList<>();
      d.get("reasons").forEach(x -> codes.add(x.get("code").asText()));
      assertTrue(reasons.put(d.get("source_offset").asLong(), String.join(",", codes)) == null,
          "each refused record once: " + d.get("source"));
      if (d.get("payload_size").asInt() > DeadLetterRecords.PAYLOAD_CAP_BYTES) {
        assertTrue(d.get("payload_truncated").asBoolean(), d.get("source").asText());
        assertTrue(d.get("payload").asText().length() <= DeadLetterRecords.PAYLOAD_CAP_BYTES);
      }
    }
    assertEquals(expectedReasons, reasons);
  }

  /** Waits up to two minutes until the newest pane of each merchant's window counts its valid records. */
  private static Map<String, ProjectionRow> awaitCounts(LiveOptions live, Map<String, Long> validByMerchant)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      List<ProjectionRow> panes = new ArrayList<>();
      ReadBack.topic(kafka.bootstrapServers(), live.getProjectionsTopic())
          .forEach(r -> panes.add(ProjectionRecords.fromJson(r.value())));
      Map<String, ProjectionRow> newest = ProjectionUpsert.newest(panes);
      Map<String, Long> counted = new HashMap<>();
      newest.values().forEach(r -> counted.merge(r.merchantId(), r.eventCount(), Long::sum));
      if (counted.equals(validByMerchant) || System.currentTimeMillis() > deadline) {
        assertEquals(validByMerchant, counted, "valid records counted, per merchant");
        return newest;
      }
      Thread.sleep(500);
    }
  }
}
