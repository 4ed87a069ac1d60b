package io.unifiedexposure.pipelines.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.format.BeyondLatenessRecords;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.reconcile.Rows;
import io.unifiedexposure.pipelines.replay.ArchiveFixtures;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exposure explain --live=kafka}: what live refused comes from the live job's own topics. A
 * window of three facts; live published 1,700 (a pane before the correction arrived) and sent the
 * correction f3 to its beyond-lateness topic; its dead-letter topic holds a malformed record that
 * names the window (shown), a conflict (left to the lineage) and a record of another merchant.
 */
class ExplainLiveTopicsTest {
  private static final long T = Instant.parse("2025-07-09T00:00:00Z").getMillis();
  private static final long JULY_2 = Instant.parse("2025-07-02T00:00:00Z").getMillis();
  @TempDir Path dir;

  private static ExposureEvent fact(String id, EventType type, long amount, String at, String corrects) {
    return ExposureEvent.builder().setEventId(id).setMerchantId("m").setEventType(type).setAmountMinor(amount)
        .setCurrency("EUR").setEventTime(Instant.parse(at)).setCorrectsEventId(corrects).setSchemaVersion(1).build();
  }

  private static RawRecord copy(ExposureEvent e, int offset) {
    return RawRecord.of(EventEncoder.toJsonBytes(e), "kafka:events/0@" + offset, T + offset);
  }

  @Test
  void aFactLiveSentToBeyondLatenessIsExactlyTheDifferenceAndInvalidRecordsNamingTheWindowAreListed()
      throws Exception {
    ExposureEvent f3 = fact("f3", EventType.CORRECTION, -200, "2025-07-02T12:00:00Z", "f1");
    ArchiveFixtures.writeOwnArchive(List.of(
        copy(fact("f1", EventType.CAPTURE, 1000, "2025-07-02T10:00:00Z", null), 1),
        copy(fact("f2", EventType.CAPTURE, 700, "2025-07-02T11:00:00Z", null), 2),
        copy(f3, 9)), dir.resolve("archive"));
    byte[] malformed = ("{\"event_id\":\"bad\",\"merchant_id\":\"m\",\"event_type\":\"CAPTURE\",\"amount_minor\":-5,"
        + "\"currency\":\"EUR\",\"event_time\":\"2025-07-02T13:00:00Z\",\"schema_version\":1}")
        .getBytes(StandardCharsets.UTF_8);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopics(Map.of("p", 1, "b", 1, "d", 1));
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("p", null, T + 5, "k",
            ProjectionRecords.toJson(Rows.pane("m", "EUR", 2, 1700, 2, PaneTiming.ON_TIME, 0, false))));
        producer.send(new ProducerRecord<>("b", "k", BeyondLatenessRecords.toJson(BeyondLateness.of(
            f3, copy(f3, 9), new Instant(JULY_2), new Instant(JULY_2 + 86_400_000)))));
        producer.send(new ProducerRecord<>("d", "k", DeadLetterRecords.toJson(DeadLetter.of(
            RawRecord.of(malformed, "kafka:events/0@7", T + 7),
            List.of(Problem.of("amount_minor", "negative", "must not be negative for CAPTURE"))))));
        producer.send(new ProducerRecord<>("d", "k", DeadLetterRecords.toJson(DeadLetter.of(
            copy(fact("f2", EventType.CAPTURE, 701, "2025-07-02T11:00:00Z", null), 8),
            List.of(Problem.of("event_id", "conflict", "already counted"))))));
        producer.send(new ProducerRecord<>("d", "k", DeadLetterRecords.toJson(DeadLetter.of(
            RawRecord.of(new String(malformed, StandardCharsets.UTF_8).replace("\"m\"", "\"other\"")
                .getBytes(StandardCharsets.UTF_8), "kafka:events/0@10", T),
            List.of(Problem.of("amount_minor", "negative", "must not be negative"))))));
        producer.flush();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = Main.run(new String[] {"explain", "--archive=" + dir.resolve("archive"), "--merchant=m",
          "--window=2025-07-02", "--bootstrapServers=" + kafka.bootstrapServers(), "--projectionsTopic=p",
          "--beyondLatenessTopic=b", "--deadLetterTopic=d", "--output=" + dir.resolve("why"),
          "--progressInterval=PT0S"}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, exit, err.toString());

      JsonNode w = Json.parse(Files.readString(dir.resolve("why/explain.json"))).path("windows").get(0);
      assertEquals(1500, w.path("answer").path("exposure_minor").asLong());
      assertEquals(-200, w.path("difference_minor").asLong());
      JsonNode refused = w.path("facts").get(2);
      assertEquals("f3", refused.path("event_id").asText());
      assertTrue(refused.path("live").asText().startsWith("live: beyond lateness: received "), refused.toString());
      assertTrue(w.path("verdict").asText().contains("add -200: exactly the difference"), w.toString());
      assertEquals(1, w.path("dead_letters").size(), "the malformed record of m only; the conflict is lineage");
      assertTrue(w.path("dead_letters").get(0).path("reasons").asText().contains("amount_minor.negative"),
          w.path("dead_letters").toString());
      assertTrue(w.path("live_panes").get(0).has("published_at"));
      String html = Files.readString(dir.resolve("why/explain.html"));
      assertTrue(html.contains("<h3>Live panes</h3>") && html.contains("upsert winner"), html);
      String console = out.toString(StandardCharsets.UTF_8);
      assertTrue(console.contains("<- live: beyond lateness"), console);
      assertTrue(console.contains("records live refused as invalid, naming this window (1):"), console);
    }
  }
}
