package io.unifiedexposure.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade as an operator runs it, on a real standalone cluster with the production settings: the
 * live job stopped with a savepoint ({@code flink stop --savepointPath}) while records still arrive,
 * the new jar (here the same build copied to another place, as a rebuilt jar would arrive) submitted
 * from that savepoint with {@code flink run -s}, and the stream continued; then once more, resumed
 * by the launcher submitting to the cluster itself with {@code --savepointPath} (the way {@code
 * ./exposure live --flinkMaster=...} resumes). Flink matches the saved
 * state to the new job's operators by their ids, the step names, and refuses state it cannot place,
 * so a resume without {@code --allowNonRestoredState} also checks that every step kept its name.
 * Before that, a resume asking for another window size is refused by the launcher, and nothing is
 * submitted. In the end nothing is lost or counted twice.
 *
 * <p>The first job runs this build's jar, or the jar named by {@code -Dexposure.upgradeFromJar}
 * (an earlier version's bundled jar): then the test is an upgrade from that version to this one.
 */
class LiveUpgradeIT {
  private static final Path PREVIOUS_JAR =
      Path.of(System.getProperty("exposure.upgradeFromJar", StandaloneCluster.JAR.toString()));

  @TempDir Path dir;

  @Test
  void stopWithASavepointResumeTheRebuiltJarFromItAndLoseNothing() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start("live-upgrade-it", dir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      LiveOnCluster live = new LiveOnCluster("upgrade", cluster, kafka, dir, 4_500);
      int third = live.stream.records.size() / 3;
      live.produce(0, third);
      String first = live.start(PREVIOUS_JAR, List.of());
      try {
        live.awaitCompletedCheckpoints(first, 3);
        String savepoint = live.stopWithSavepoint(first);
        assertTrue(cluster.jobs("RUNNING").isEmpty(), "the job stopped after its savepoint");

        // While the job is down the stream goes on.
        live.produce(third, 2 * third);
        Path rebuilt = Files.createDirectories(dir.resolve("rebuilt")).resolve("unified-exposure-bundled.jar");
        Files.copy(StandaloneCluster.JAR, rebuilt);

        assertNotEquals(0, live.submit(rebuilt, List.of("-s", savepoint), "--windowSize=PT12H"));
        String refusal = Files.readString(dir.resolve(live.submissionLog() + ".log"));
        // An earlier jar records fewer keys (no reporting currency, no current days); the recorded ones
        // are listed sorted.
        assertTrue(refusal.contains("exposure live: refused: the job state under file://" + dir.resolve("checkpoints")
            + " was kept with allowedLateness=P3D, "), refusal);
        assertTrue(refusal.contains(" dedupShards=" + ExposureGraph.DEFAULT_DEDUP_SHARDS + ", "), refusal);
        assertTrue(refusal.contains("windowSize=P1D; this run asks for windowSize=PT12H."), refusal);
        assertTrue(cluster.jobs("RUNNING").isEmpty(), "nothing was submitted under another definition");

        // Resumed with Flink's flag ...
        String second = live.start(rebuilt, List.of("-s", savepoint));
        assertRestoredFrom(cluster, second, savepoint);
        live.awaitCompletedCheckpoints(second, 3);
        String next = live.stopWithSavepoint(second);
        live.produce(2 * third, live.stream.records.size());
        // ... and by the launcher, with its flag (./exposure live --flinkMaster=... --savepointPath=...).
        String resumedAgain = live.running(live.submitWithLauncher(rebuilt, "--savepointPath=" + next));
        assertRestoredFrom(cluster, resumedAgain, next);

        live.assertConverged();
        live.awaitArchived();
      } finally {
        cluster.cancelRunningJobs();
      }
      live.assertRefusedRecordsArePublished();
      live.assertArchiveHoldsEveryValidRecordAndReplaysToTheOracle();
    }
  }

  private static void assertRestoredFrom(StandaloneCluster cluster, String job, String savepoint) throws Exception {
    JsonNode restored = Json.parse(cluster.rest("GET", "/jobs/" + job + "/checkpoints")).path("latest").path("restored");
    assertTrue(restored.path("is_savepoint").asBoolean(), "restored from the savepoint: " + restored);
    assertEquals(savepoint, restored.path("external_path").asText());
  }
}
