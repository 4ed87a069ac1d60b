package io.unifiedexposure.pipelines.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.live.ParquetArchive;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayManifest;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every path on a real HDFS (a NameNode and a DataNode in this JVM) through Beam's Hadoop file
 * system, named by {@code --hdfsConfiguration}: the live job's archive writer writes to {@code
 * hdfs://}, a replay reads that archive and writes its projections and manifest there, reconcile
 * reads the replay and a Parquet snapshot of live rows from there and writes its report there, and
 * a targeted backfill recomputes a range; the replays on both runners.
 */
class HdfsStorageSpec {
  private static final WindowGrid GRID = ExposureGraph.create().grid();
  @TempDir static Path dir;
  private static MiniDFSCluster hdfs;
  private static String root;
  private static RandomHistory history;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    root = "hdfs://localhost:" + hdfs.getNameNodePort();
    history = RandomHistory.generate(29, 400, 3, 5, GRID);
    // The live job's archive writer, into HDFS.
    PipelineOptions options = Main.options(flags(List.of()), PipelineOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(history.rawRecords()).withCoder(RawRecord.coder()))
        .apply("Exposure", ExposureGraph.create().withValidEventsOutput())
        .validEvents()
        .apply("Archive", new ParquetArchive(root + "/archive", Duration.standardSeconds(1), "hdfs-spec"));
    p.run().waitUntilFinish();
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void replayReconcileAndBackfillReadAndWriteHdfs(String runner) throws Exception {
    List<String> runnerFlags = runner.equals("FlinkRunner")
        ? List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1")
        : List.of("--runner=DirectRunner");
    String archive = root + "/archive";
    assertTrue(ReadBack.parquetRowCount(archive) == history.arrivals.size(), "every copy archived in HDFS, once");

    String replay = root + "/" + runner.toLowerCase() + "/replay";
    ReplayManifest manifest = ReplayExposure.runForManifest(
        Main.options(flags(runnerFlags, "--archive=" + archive, "--output=" + replay), ReplayOptions.class));
    assertEquals("DONE", manifest.state);
    Map<String, ProjectionRow> rows = StoredReplays.rows(replay + "/projections");
    Map<String, long[]> oracle = Oracle.totals(history.arrivals, GRID);
    assertEquals(oracle.keySet(), rows.keySet());
    oracle.forEach((k, t) -> {
      assertEquals(t[0], rows.get(k).exposureMinor(), k);
      assertEquals(t[1], rows.get(k).eventCount(), k);
    });
    assertEquals(archive, ReplayManifest.read(replay).archive, "the manifest is in HDFS beside the output");

    String report = root + "/" + runner.toLowerCase() + "/report";
    StoredReplays.reconcileAgainstItself(List.of(flags(runnerFlags)), replay, report, rows.size());
    assertTrue(StoredFiles.readString(report + "/reconcile.json").contains("\"drift_by_cause\""), "the report is in HDFS");

    String merchant = rows.values().iterator().next().merchantId();
    String backfill = root + "/" + runner.toLowerCase() + "/backfill";
    ReplayManifest some = ReplayExposure.runForManifest(Main.options(flags(runnerFlags, "--archive=" + archive,
        "--output=" + backfill, "--from=2025-07-01", "--to=2025-07-03", "--merchants=" + merchant), ReplayOptions.class));
    assertEquals("DONE", some.state);
    Map<String, ProjectionRow> recomputed = StoredReplays.rows(backfill + "/projections");
    assertFalse(recomputed.isEmpty(), "the range selects windows");
    recomputed.forEach((k, r) -> {
      assertEquals(merchant, r.merchantId());
      assertEquals(rows.get(k).exposureMinor(), r.exposureMinor(), k);
    });
  }

  /** The runner's flags, HDFS named by its NameNode, then the rest. */
  private static String[] flags(List<String> runnerFlags, String... more) {
    List<String> args = new ArrayList<>(runnerFlags);
    args.add("--hdfsConfiguration=[{\"fs.defaultFS\":\"" + root + "\",\"dfs.replication\":\"1\"}]");
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }
}
