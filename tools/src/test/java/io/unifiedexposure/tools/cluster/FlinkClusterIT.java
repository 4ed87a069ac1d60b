package io.unifiedexposure.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.replay.ArchiveFixtures;
import io.unifiedexposure.pipelines.replay.ReplayManifest;
import io.unifiedexposure.testing.EmbeddedKafka;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import io.unifiedexposure.tools.demo.DemoStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar submitted to a real Flink 1.19 session cluster: a JobManager and a TaskManager,
 * each its own JVM, started from the Flink jars of the build without Beam, our code or the IO
 * libraries on their classpath (so the job's code can only arrive in the submitted jar), configured
 * by {@code runners-config/flink/cluster/flink-conf.yaml}. Runs after {@code package} (it needs the
 * bundled jar), in {@code mvn verify}.
 *
 * <p>Two ways in, both replaying the same archive to the oracle: {@code flink run -c Main <jar>
 * replay ...} (Flink's own command line, {@code CliFrontend}), and {@code java -jar <jar> replay
 * --runner=FlinkRunner --flinkMaster=localhost:<port>} with relative paths, which the launcher
 * resolves where it runs rather than in the TaskManager's working directory. And the live job,
 * submitted detached ({@code flink run -d}) against an embedded broker, converging to the oracle.
 */
class FlinkClusterIT {
  private static final WindowGrid GRID = ExposureGraph.create().grid();
  private static final Path JAR = StandaloneCluster.JAR;

  @TempDir static Path dir;
  private static StandaloneCluster cluster;
  private static RandomHistory history;

  @BeforeAll
  static void startClusterAndWriteArchive() throws Exception {
    cluster = StandaloneCluster.start("flink-cluster-it", dir);
    history = RandomHistory.generate(23, 500, 3, 5, GRID);
    ArchiveFixtures.writeOwnArchive(history.shuffledRawRecords(4), dir.resolve("archive"));
  }

  @AfterAll
  static void stopCluster() throws IOException {
    cluster.close();
  }

  @Test
  void flinkRunSubmitsTheBundledJarAndItReplaysToTheOracle() throws Exception {
    List<String> cmd = cluster.flink("run", "-m", "localhost:" + cluster.restPort,
        "-c", "io.unifiedexposure.pipelines.Main", JAR.toString(),
        "replay", "--runner=FlinkRunner", "--archive=" + dir.resolve("archive"),
        "--output=" + dir.resolve("out-flink-run"));
    int finished = cluster.jobsFinished();
    assertEquals(0, cluster.run(cmd, "flink-run", Map.of("FLINK_CONF_DIR", StandaloneCluster.CONF.toString())));
    assertEquals(finished + 1, cluster.jobsFinished(), "the job ran on the cluster");
    assertReplayedToTheOracle(dir.resolve("out-flink-run"));
  }

  @Test
  void theLauncherSubmitsToTheClusterWithRelativePaths() throws Exception {
    List<String> cmd = StandaloneCluster.java(null, List.of("-jar", JAR.toString()));
    cmd.addAll(List.of("replay", "--runner=FlinkRunner", "--flinkMaster=localhost:" + cluster.restPort,
        "--archive=archive", "--output=out-launcher"));
    int finished = cluster.jobsFinished();
    assertEquals(0, cluster.run(cmd, "launcher", Map.of()));
    assertEquals(finished + 1, cluster.jobsFinished(), "the job ran on the cluster");
    assertReplayedToTheOracle(dir.resolve("out-launcher"));
  }

  @Test
  void flinkRunDetachedRunsTheLiveJobOnTheCluster() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      String events = "cluster-events";
      String projections = "cluster-projections";
      kafka.createTopics(Map.of(events, 2, projections, 1, "cluster-dead-letters", 1, "cluster-beyond", 1));
      DemoStream stream = new DemoStream(events, 7, 300, 3, 5, GRID);
      stream.produce(kafka.bootstrapServers());
      List<String> cmd = cluster.flink("run", "-d", "-m", "localhost:" + cluster.restPort,
          "-c", "io.unifiedexposure.pipelines.Main", JAR.toString(),
          "live", "--runner=FlinkRunner", "--bootstrapServers=" + kafka.bootstrapServers(),
          "--inputTopic=" + events, "--projectionsTopic=" + projections,
          "--deadLetterTopic=cluster-dead-letters", "--beyondLatenessTopic=cluster-beyond",
          "--archive=" + dir.resolve("live-archive"), "--earlyFiringDelay=PT1S", "--idleTimeout=PT2S");
      try {
        assertLiveJobConverges(cmd, kafka, projections, stream);
      } finally {
        // Before the broker stops: a Kafka producer closing against a stopped broker waits for its
        // delivery timeout (2 min), and so would the cancelled job's writers.
        cluster.cancelRunningJobs();
      }
    }
  }

  private static void assertLiveJobConverges(
      List<String> cmd, EmbeddedKafka kafka, String projections, DemoStream stream) throws Exception {
    assertEquals(0, cluster.run(cmd, "flink-run-live", Map.of("FLINK_CONF_DIR", StandaloneCluster.CONF.toString())));
    assertTrue(Files.readString(dir.resolve("flink-run-live.log")).contains("job submitted, detached: RUNNING"),
        cluster.tail("flink-run-live"));
    assertTrue(cluster.overview().contains("\"jobs-running\":1"), "the live job runs on the cluster: " + cluster.overview());

    // The newest pane of every window converges to the oracle, as on the mini cluster (LiveSpec).
    Map<String, long[]> oracle = Oracle.totals(stream.history.arrivals, GRID);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Map<String, ProjectionRow> newest = Map.of();
    while (System.nanoTime() < deadline && !sameTotals(oracle, newest)) {
      Thread.sleep(2000);
      newest = ProjectionUpsert.newest(ReadBack.topic(kafka.bootstrapServers(), projections).stream()
          .map(r -> ProjectionRecords.fromJson(r.value())).collect(Collectors.toList()));
    }
    assertEquals(oracle.keySet(), newest.keySet(), cluster.tail("flink-run-live") + cluster.tail(cluster.taskManagerLog()));
    assertTrue(sameTotals(oracle, newest), "newest panes equal the oracle");
  }

  private static boolean sameTotals(Map<String, long[]> oracle, Map<String, ProjectionRow> newest) {
    return oracle.keySet().equals(newest.keySet())
        && oracle.entrySet().stream().allMatch(e -> newest.get(e.getKey()).exposureMinor() == e.getValue()[0]
            && newest.get(e.getKey()).eventCount() == e.getValue()[1]);
  }

  private static void assertReplayedToTheOracle(Path output) throws IOException {
    Map<String, ProjectionRow> rows = new TreeMap<>();
    ReadBack.parquetRows(output.resolve("projections")).stream()
        .map(ProjectionRecords::fromAvro)
        .forEach(r -> assertTrue(rows.put(ProjectionUpsert.key(r), r) == null, "one row per window: " + r));
    Map<String, long[]> oracle = Oracle.totals(history.arrivals, GRID);
    assertFalse(oracle.isEmpty());
    assertEquals(oracle.keySet(), rows.keySet());
    oracle.forEach((k, t) -> {
      assertEquals(t[0], rows.get(k).exposureMinor(), k);
      assertEquals(t[1], rows.get(k).eventCount(), k);
    });
    ReplayManifest manifest = ReplayManifest.read(output.toString());
    assertEquals("DONE", manifest.state);
    assertEquals((long) history.arrivals.size(), manifest.counters.get("records_in"), "counters came back from the cluster");
    assertTrue(cluster.overview().contains("\"jobs-failed\":0"), "no job failed on the cluster: " + cluster.overview());
  }
}
