package io.unifiedexposure.tools.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.live.LiveExposure;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.live.LiveRun;
import io.unifiedexposure.testing.EmbeddedKafka;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.tools.demo.DemoStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job end to end on a real (embedded) broker: Kafka in; projections, dead letters and the
 * Parquet archive out, checked against the plain-Java oracle, on DirectRunner and on FlinkRunner
 * local (parallelism 2, checkpoints every 2 s).
 *
 * <p>The input topic has 3 partitions and partition 1 never receives a record. KafkaIO deals
 * partitions to readers in turn, so with 2 readers one of them holds only that silent partition: it
 * has no event time of its own, and the windows close only if its watermark follows the topic.
 */
class LiveSpec {
  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void directRunner() throws Exception {
    runLive("direct", PipelineOptionsFactory.fromArgs("--runner=DirectRunner").as(LiveOptions.class));
  }

  @Test
  void flinkRunner() throws Exception {
    runLive("flink", PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2").as(LiveOptions.class));
  }

  /** Each merchant's records to partition 0 or 2 (in order, as a key would), none to partition 1. */
  private static ProducerRecord<String, byte[]> toPartitionZeroOrTwo(ProducerRecord<String, byte[]> r) {
    int partition = r.key() == null ? 0 : 2 * Math.floorMod(r.key().hashCode(), 2);
    return new ProducerRecord<>(r.topic(), partition, r.key(), r.value());
  }

  private void runLive(String name, LiveOptions live) throws Exception {
    live.setBootstrapServers(kafka.bootstrapServers());
    live.setInputTopic(name + "-events");
    live.setProjectionsTopic(name + "-projections");
    live.setDeadLetterTopic(name + "-dead-letters");
    live.setBeyondLatenessTopic(name + "-beyond");
    live.setConsumerGroup(name + "-group");
    live.setArchive(dir.resolve(name + "-archive").toString());
    live.setArchiveFlushInterval("PT2S");
    live.setEarlyFiringDelay("PT1S");
    live.setIdleTimeout("PT2S");
    live.setStreaming(true);
    LiveRun.configureRunner(live);
    kafka.createTopics(Map.of(live.getInputTopic(), 3, live.getProjectionsTopic(), 1, live.getDeadLetterTopic(), 1,
        live.getBeyondLatenessTopic(), 1));
    ExposureGraph graph = ExposureGraph.fromOptions(live);
    DemoStream stream = new DemoStream(live.getInputTopic(), 5, 400, 3, 6, graph.grid());
    stream.records.replaceAll(LiveSpec::toPartitionZeroOrTwo);
    stream.produce(kafka.bootstrapServers());

    PipelineResult job = LiveExposure.create(live).run();
    try {
      LiveRun.awaitDrained(job, kafka.bootstrapServers(), live, stream.records.size(), stream.valid,
          Path.of(live.getArchive()), new PrintStream(System.out));
      // With the input quiet, a capture for the first day arrives long after that window closed:
      // it must reach the beyond-lateness topic (and, below, leave the projections alone).
      stream.produceBeyondLateness(kafka.bootstrapServers());
      try {
        LiveRun.awaitRecords(kafka.bootstrapServers(), live.getBeyondLatenessTopic(), 1);
      } finally {
        DemoStream.beyondLatenessWindowPanes(kafka.bootstrapServers(), live.getProjectionsTopic())
            .forEach(r -> System.out.println("pane of the late capture's window: " + r));
      }
    } finally {
      job.cancel();
    }

    // Projections: after draining, the newest pane of every window holds the oracle's total.
    List<ProjectionRow> panes = ReadBack.topic(kafka.bootstrapServers(), live.getProjectionsTopic()).stream()
        .map(r -> {
          ProjectionRow row = ProjectionRecords.fromJson(r.value());
          assertEquals(ProjectionRecords.kafkaKey(row), r.key(), "record key identifies the window");
          return row;
        })
        .collect(Collectors.toList());
    Map<String, ProjectionRow> newest = ProjectionUpsert.newest(panes);
    Map<String, long[]> oracle = Oracle.totals(stream.history.arrivals, graph.grid());
    assertEquals(oracle.keySet(), newest.keySet());
    oracle.forEach((k, t) -> {
      assertEquals(t[0], newest.get(k).exposureMinor(), k);
      assertEquals(t[1], newest.get(k).eventCount(), k);
    });
    assertTrue(newest.values().stream().anyMatch(ProjectionRow::isFinal), "the watermark closed early days");
    assertTrue(newest.values().stream().anyMatch(r -> !r.isFinal()), "the last days are still open");

    // Dead letters: every malformed record with its reasons and source coordinates.
    List<JsonNode> dead = ReadBack.topic(kafka.bootstrapServers(), live.getDeadLetterTopic()).stream()
        .map(r -> Json.parse(r.value())).collect(Collectors.toList());
    List<JsonNode> malformed = dead.stream()
        .filter(d -> !d.get("reasons").get(0).get("code").asText().equals("event_id.conflict"))
        .collect(Collectors.toList());
    assertEquals(stream.malformed, malformed.size());
    for (JsonNode d : malformed) {
      assertEquals(live.getInputTopic(), d.get("source_topic").asText());
      assertTrue(d.get("source_offset").asLong() >= 0 && d.has("source_partition"));
      assertTrue(DemoStream.MALFORMED.contains(d.get("payload").asText()), d.toString());
    }

    // Archive: every valid record as received, duplicates included, under dt= partitions.
    assertEquals(stream.valid, ReadBack.parquetRows(Path.of(live.getArchive())).size());
    assertTrue(java.nio.file.Files.isDirectory(Path.of(live.getArchive(), "dt=2025-07-01")));
  }
}
