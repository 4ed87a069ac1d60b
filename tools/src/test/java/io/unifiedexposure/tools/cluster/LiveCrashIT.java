package io.unifiedexposure.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job on a real standalone cluster with the production settings ({@code
 * runners-config/flink-prod.args}: RocksDB state, exactly-once checkpoints, the restart budget),
 * submitted detached with {@code flink run -d}, its TaskManager killed with SIGKILL three times at
 * different points while records still arrive, a new TaskManager started each time. The job restores
 * by itself from its checkpoints each time, and in the end nothing is lost or counted twice: the
 * newest pane of every window equals the oracle, every refused record is on the dead-letter topic,
 * every valid record is in the archive, and the archive replays to the same answer.
 *
 * <p>{@code -Dexposure.crashStateBackend=filesystem} runs it with heap state instead of the production
 * RocksDB (the launcher's default state, whose values the job shares with checkpoints being written).
 *
 * <p>At least once, published after the checkpoint (the default): no pane_index carries two
 * contents, so a consumer that upserts by the documented rule never holds an older state of a
 * window than one it held before; rows may repeat or arrive behind a newer pane of their window, and
 * dead letters may repeat, identical. {@code crashThreeTimes(..., true)} runs the
 * exactly-once mode ({@code --exactlyOnceOutput=true}), where nothing repeats either; it is not in
 * the suite: its sink's one transaction per row made it miss a 300 s convergence deadline under a
 * full CI run.
 */
class LiveCrashIT {
  private static final int KILLS = 3;

  @TempDir Path dir;

  /**
   * At least once after the checkpoint (the default): nothing lost, nothing counted twice, and an
   * upserting consumer's value never goes back; rows and dead letters may repeat, identical.
   */
  @Test
  void theJobRestoresAfterThreeTaskManagerKillsLosesNothingAndNeverShowsAnOlderRow() throws Exception {
    crashThreeTimes("alo", 6_000, false);
  }

  private void crashThreeTimes(String name, int facts, boolean exactlyOnce) throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start("live-crash-it-" + name, dir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      LiveOnCluster live = new LiveOnCluster("crash", cluster, kafka, dir, facts);
      int slice = live.stream.records.size() / (KILLS + 1);
      live.produce(0, slice);
      String job = live.start(StandaloneCluster.JAR, List.of(), "--exactlyOnceOutput=" + exactlyOnce,
          "--stateBackend=" + System.getProperty("exposure.crashStateBackend", "rocksdb"));
      try {
        for (int kill = 1; kill <= KILLS; kill++) {
          // Each kill lands at another point: after a checkpoint, with the next slice just sent.
          live.awaitCompletedCheckpoints(job, live.completedCheckpoints(job) + kill);
          live.produce(kill * slice, kill == KILLS ? live.stream.records.size() : (kill + 1) * slice);
          Thread.sleep(300L * kill);
          cluster.killTaskManager();
          cluster.startTaskManager();
          live.awaitRestores(job, kill);
        }
        assertAnUpsertingConsumerNeverGoesBack(live.assertConverged(), exactlyOnce);
        live.awaitArchived();
      } finally {
        // Before the broker stops: a producer closing against a stopped broker waits 2 min.
        cluster.cancelRunningJobs();
      }
      long[] dead = live.assertRefusedRecordsArePublished();
      if (exactlyOnce) {
        assertEquals(dead[1], dead[0], "each refused record is dead-lettered once");
      }
      live.assertArchiveHoldsEveryValidRecordAndReplaysToTheOracle();
    }
  }

  /**
   * What a consumer following the upsert rule (highest pane_index per window) sees: no pane_index
   * published with two contents, so every row it holds or skips belongs to one history of the
   * window, and a higher pane_index is always a later state of it. A row behind its window's newest
   * pane (released after a restore, from the checkpoint's buffer) is an older state the consumer
   * skips. Exactly once: rows arrive in increasing pane_index order, none repeated.
   */
  private static void assertAnUpsertingConsumerNeverGoesBack(List<ProjectionRow> rows, boolean exactlyOnce) {
    assertEquals(List.of(), LiveOnCluster.reusedPaneIndexRows(rows).stream().limit(10).collect(Collectors.toList()),
        "no pane_index published twice with other content");
    Map<String, Long> highest = new HashMap<>();
    long behind = 0;
    for (ProjectionRow r : rows) {
      Long before = highest.get(ProjectionUpsert.key(r));
      if (before == null || r.paneIndex() > before) {
        highest.put(ProjectionUpsert.key(r), r.paneIndex());
      } else {
        assertTrue(!exactlyOnce, "exactly once, rows come in pane order: " + r + " after #" + before);
        behind++;
      }
    }
    System.out.printf("crash: %,d rows arrived behind their window's newest pane, skipped by the upsert rule%n",
        behind);
  }
}
