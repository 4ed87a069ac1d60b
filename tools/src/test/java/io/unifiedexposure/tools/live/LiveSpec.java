package io.unifiedexposure.tools.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.RunnerDefaults;
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
    runLive("direct", PipelineOptionsFactory.fromArgs("--runner=DirectRunner").as(LiveOptions.class), 400, 3, 6);
  }

  @Test
  void flinkRunner() throws Exception {
    runLive("flink", PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2").as(LiveOptions.class), 400, 3, 6);
  }

  /**
   * The production settings themselves ({@code runners-config/flink-prod.args}: RocksDB state,
   * exactly-once checkpoints, the restart budget, read_committed input), with later flags for this
   * machine: an in-process cluster, checkpoints every 2 s into a local directory.
   */
  @Test
  void flinkRunnerWithTheProductionSettings() throws Exception {
    List<String> args = new java.util.ArrayList<>(
        Main.expandArgFiles(List.of("@" + repoRoot().resolve("runners-config/flink-prod.args"))));
    args.addAll(List.of("--flinkMaster=[local]", "--parallelism=2", "--checkpointingInterval=2000",
        "--minPauseBetweenCheckpoints=500", "--archive=" + dir.resolve("prod-archive"),
        "--stateBackendStoragePath=file://" + dir.resolve("prod-checkpoints")));
    String[] flags = args.toArray(new String[0]);
    LiveOptions live = Main.options(flags, LiveOptions.class);
    RunnerDefaults.applyLive(live, flags);
    assertEquals("rocksdb", live.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getStateBackend());
    long checkpointBytes = runLive("prod", live, 2_000, 3, 6);
    assertTrue(checkpointBytes == 0, "checkpoints go to the storage path given, not under the archive");
    assertTrue(java.nio.file.Files.isDirectory(dir.resolve("prod-checkpoints")), "RocksDB checkpoints were written");
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    return p.getFileName().toString().equals("tools") ? p.getParent() : p;
  }

  /**
   * Real volume on FlinkRunner with checkpoints every 2 s: a third of a million records over 15 days
   * and 40 merchants, whose dedup and window state outgrows the JobManager's 5 MB memory
   * storage (Flink's default, under which every checkpoint failed and the job restarted forever).
   * Checkpoints go to durable storage under the archive; the job drains to the oracle's answer.
   */
  @Test
  void flinkRunnerAtVolumeWithCheckpoints() throws Exception {
    LiveOptions live = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2").as(LiveOptions.class);
    long checkpointBytes = runLive("volume", live, 300_000, 40, 15);
    System.out.printf("largest checkpoint on disk after draining: %,d bytes%n", checkpointBytes);
    assertTrue(checkpointBytes > 5 * 1024 * 1024,
        "the state outgrew the 5 MB the JobManager's memory would hold: " + checkpointBytes + " bytes");
  }

  /** Each merchant's records to partition 0 or 2 (in order, as a key would), none to partition 1. */
  private static ProducerRecord<String, byte[]> toPartitionZeroOrTwo(ProducerRecord<String, byte[]> r) {
    int partition = r.key() == null ? 0 : 2 * Math.floorMod(r.key().hashCode(), 2);
    return new ProducerRecord<>(r.topic(), partition, r.key(), r.value());
  }

  /**
   * Runs the live job over a generated stream and checks what it published; returns the size of
   * the largest checkpoint on disk once the stream is drained (0 on DirectRunner).
   */
  private long runLive(String name, LiveOptions live, int facts, int merchants, int days) throws Exception {
    OnBroker.configure(live, name, kafka, dir, 3);
    ExposureGraph graph = ExposureGraph.fromOptions(live);
    DemoStream stream = new DemoStream(live.getInputTopic(), 5, facts, merchants, days, graph.grid());
    stream.records.replaceAll(LiveSpec::toPartitionZeroOrTwo);
    stream.produce(kafka.bootstrapServers());

    PipelineResult job = LiveExposure.create(live).run();
    long checkpointBytes = 0;
    try {
      LiveRun.awaitDrained(job, kafka.bootstrapServers(), live, stream.records.size(), stream.valid,
          Path.of(live.getArchive()), new PrintStream(System.out));
      checkpointBytes = largestCheckpoint(Path.of(live.getArchive(), "_checkpoints"));
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
    // A window the watermark has passed says so: its newest row is ON_TIME or later, never EARLY.
    // (The watermark trails the newest event time by seconds; a day's margin covers the partitions.)
    long lastEventTime = stream.history.arrivals.stream().mapToLong(c -> c.event.eventTime().getMillis()).max()
        .orElseThrow();
    List<ProjectionRow> passedButEarly = newest.values().stream()
        .filter(r -> r.windowEnd().getMillis() <= lastEventTime - 86_400_000L && r.paneTiming() == PaneTiming.EARLY)
        .collect(Collectors.toList());
    assertEquals(List.of(), passedButEarly, "windows the watermark passed whose newest row is EARLY");

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

    // Archive: every valid record as received, duplicates included, under dt= partitions (and the
    // late capture too when its file was cut before the job was cancelled).
    int archived = ReadBack.parquetRows(Path.of(live.getArchive())).size();
    assertTrue(archived == stream.valid || archived == stream.valid + 1, archived + " rows for " + stream.valid);
    assertTrue(java.nio.file.Files.isDirectory(Path.of(live.getArchive(), "dt=2025-07-01")));
    return checkpointBytes;
  }

  /** The bytes of the largest {@code chk-N} directory under a job's checkpoint directory. */
  private static long largestCheckpoint(Path checkpoints) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(checkpoints)) {
      return 0;
    }
    Map<Path, Long> bytes = new java.util.HashMap<>();
    try (var files = java.nio.file.Files.walk(checkpoints)) {
      files.filter(java.nio.file.Files::isRegularFile).forEach(f -> {
        for (Path d = f.getParent(); d != null && d.startsWith(checkpoints); d = d.getParent()) {
          if (d.getFileName().toString().startsWith("chk-")) {
            bytes.merge(d, f.toFile().length(), Long::sum);
          }
        }
      });
    }
    return bytes.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
