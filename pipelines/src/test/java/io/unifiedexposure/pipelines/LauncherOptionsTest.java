package io.unifiedexposure.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.jupiter.api.Test;

class LauncherOptionsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandExplainsItsFlags() throws Exception {
    assertEquals(0, run("live", "--help"));
    assertTrue(out.toString().contains("--maxOutOfOrderness"), out.toString());
    for (String flink : List.of("--flinkMaster", "--parallelism", "--checkpointingInterval", "--stateBackend=")) {
      assertTrue(out.toString().contains(flink), flink + " in:\n" + out);
    }
    for (String internal : List.of("--optionsId", "--userAgent", "--updateCompatibilityVersion", "--appName")) {
      assertFalse(out.toString().contains(internal), internal + " in:\n" + out);
    }
    assertTrue(out.toString().contains("--kafkaProperties"));
    assertEquals(0, run("replay", "--help"));
    assertTrue(out.toString().contains("--merchants"));
    assertEquals(0, run("reconcile", "--help"));
    assertTrue(out.toString().contains("--maxUnexplained"), out.toString());
    assertEquals(2, run("demo"));
    assertTrue(err.toString().contains("./exposure demo"), err.toString());
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("usage: exposure"));
  }

  @Test
  void unknownCommandAndBadFlagsExitTwoWithAReason() throws Exception {
    assertEquals(2, run("relpay"));
    assertTrue(err.toString().contains("unknown command 'relpay'"));
    assertEquals(2, run("replay", "--archive=/nowhere", "--output=/tmp/x", "--windowSize=one day"));
    assertTrue(err.toString().contains("--windowSize=one day is not an ISO-8601 duration"), err.toString());
    assertEquals(2, run("replay", "--output=/tmp/x"));
    assertTrue(err.toString().contains("archive"), err.toString());
    assertEquals(2, run("replay", "--archive=/nowhere", "--output=/tmp/x", "--from=yesterday"));
    assertTrue(err.toString().contains("--from=yesterday is neither a date"), err.toString());
    assertEquals(2, run("replay", "--archive=/nowhere/archive", "--output=/tmp/x"));
    assertTrue(err.toString().contains("--archive=/nowhere/archive matches no Parquet file"), err.toString());
    assertEquals(2, run("live", "@runners-config/does-not-exist.args"));
    assertTrue(err.toString().contains("cannot read argument file"));
  }

  /** Flags refused before any job starts, each refusal naming its flag. */
  @Test
  void badPathsAndDurationsAreRefusedByNameBeforeAJobStarts(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    assertEquals(2, run("replay", "--archive=", "--output=" + tmp.resolve("out")));
    assertTrue(err.toString().contains("--archive is empty"), err.toString());
    Path file = java.nio.file.Files.writeString(tmp.resolve("a-file"), "x");
    assertEquals(2, run("replay", "--archive=" + tmp, "--output=" + file));
    assertTrue(err.toString().contains("--output=" + file + " is a file, not a directory"), err.toString());
    assertEquals(2, run("live", "--archive=" + tmp.resolve("archive"), "--maxOutOfOrderness=-PT5S"));
    assertTrue(err.toString().contains("--maxOutOfOrderness=-PT5S must not be negative"), err.toString());
    assertEquals(2, run("live", "--archive=" + tmp.resolve("archive"), "--idleTimeout=PT0S"));
    assertTrue(err.toString().contains("--idleTimeout=PT0S must be positive"), err.toString());
    assertEquals(2, run("live", "--archive="));
    assertTrue(err.toString().contains("--archive is empty"), err.toString());
    assertEquals(2, run("live", "--archive=" + tmp, "--windowSize=PT7M"));
    assertTrue(err.toString().contains("--windowSize must divide a day"), err.toString());
    assertEquals(2, run("replay", "--archive=" + tmp, "--output=" + tmp.resolve("o"), "--prometheusPort=9249"));
    assertTrue(err.toString().contains("--prometheusPort=9249 configures the in-process Flink cluster"), err.toString());
    assertEquals(2, run("reconcile", "--replay=" + tmp, "--report=" + file));
    assertTrue(err.toString().contains("--report=" + file + " is a file"), err.toString());
  }

  /** A command that throws still ends in an exit code and one line, so the JVM exits. */
  @Test
  void aFailingCommandExitsOneWithOneLine() {
    assertEquals(1, Main.exitCode(() -> {
      throw new IllegalStateException("broker gone", new java.io.IOException("connection refused"));
    }, new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals("exposure: failed: IOException: connection refused", err.toString().strip());
  }

  @Test
  void runnerArgumentFilesParseAsLauncherOptions() {
    for (String file : List.of("direct.args", "flink-local.args", "flink-prod.args")) {
      List<String> args = new ArrayList<>(Main.expandArgFiles(List.of("@" + repoRoot().resolve("runners-config/" + file))));
      assertFalse(args.isEmpty(), file);
      args.add("--archive=/tmp/archive");
      LiveOptions live = Main.options(args.toArray(new String[0]), LiveOptions.class);
      assertTrue(live.getRunner().getSimpleName().contains(file.startsWith("direct") ? "Direct" : "Flink"), file);
      args.add("--output=/tmp/out");
      Main.options(args.toArray(new String[0]), ReplayOptions.class);
    }
    List<String> prod = new ArrayList<>(Main.expandArgFiles(List.of("@" + repoRoot().resolve("runners-config/flink-prod.args"))));
    prod.add("--archive=/tmp/archive");
    LiveOptions live = Main.options(prod.toArray(new String[0]), LiveOptions.class);
    assertEquals("rocksdb", live.as(FlinkPipelineOptions.class).getStateBackend());
    assertEquals(List.of("isolation.level=read_committed", "max.poll.records=2000"), live.getKafkaConfig());
  }

  @Test
  void aLaterFlagOverridesAnArgumentFilesValueAndListFlagsAccumulate() {
    List<String> args = new ArrayList<>(Main.expandArgFiles(List.of("@" + repoRoot().resolve("runners-config/flink-prod.args"))));
    args.addAll(List.of("--archive=/tmp/archive", "--parallelism=2", "--kafkaConfig=client.id=ops"));
    LiveOptions live = Main.options(args.toArray(new String[0]), LiveOptions.class);
    assertEquals(2, live.as(FlinkPipelineOptions.class).getParallelism());
    assertEquals(
        List.of("isolation.level=read_committed", "max.poll.records=2000", "client.id=ops"), live.getKafkaConfig());
  }

  @Test
  void theLiveJobOnFlinkCheckpointsToADurableDirectoryAndHasARestartBudget() {
    String[] plain = {"--runner=FlinkRunner", "--archive=/data/archive"};
    LiveOptions live = Main.options(plain, LiveOptions.class);
    RunnerDefaults.applyLive(live, plain);
    FlinkPipelineOptions flink = live.as(FlinkPipelineOptions.class);
    assertEquals("filesystem", flink.getStateBackend());
    assertEquals("file:///data/archive/_checkpoints", flink.getStateBackendStoragePath());
    assertEquals(RunnerDefaults.LIVE_RESTARTS, flink.getNumberOfExecutionRetries());
    String[] told = {"--runner=FlinkRunner", "--archive=/data/archive", "--stateBackend=rocksdb",
        "--stateBackendStoragePath=file:///ckpt", "--numberOfExecutionRetries=3"};
    LiveOptions prod = Main.options(told, LiveOptions.class);
    RunnerDefaults.applyLive(prod, told);
    assertEquals("rocksdb", prod.as(FlinkPipelineOptions.class).getStateBackend());
    assertEquals("file:///ckpt", prod.as(FlinkPipelineOptions.class).getStateBackendStoragePath());
    assertEquals(3, prod.as(FlinkPipelineOptions.class).getNumberOfExecutionRetries());
  }

  @Test
  void aSavepointFlagFlinkWouldIgnoreIsRefusedNamingTheWayThatWorks() throws Exception {
    assertEquals(2, run("live", "--runner=FlinkRunner", "--archive=" + System.getProperty("java.io.tmpdir"),
        "--savepointPath=file:///sp/savepoint-1"));
    assertTrue(err.toString().contains("--savepointPath=file:///sp/savepoint-1 is only restored when the launcher"
        + " submits to a cluster (--flinkMaster=<host:port>); with flink run, pass it as flink run -s"), err.toString());
    String[] remote = {"--runner=FlinkRunner", "--archive=/a", "--flinkMaster=jm:8081", "--savepointPath=file:///sp/1"};
    LiveOptions live = Main.options(remote, LiveOptions.class);
    RunnerDefaults.applyLive(live, remote);
    assertEquals("file:///sp/1", live.as(FlinkPipelineOptions.class).getSavepointPath());
  }

  @Test
  void outputsHeldForTheCheckpointNeedExactlyOnceCheckpointsOrAreTurnedOff() throws Exception {
    String archive = "--archive=" + System.getProperty("java.io.tmpdir");
    assertEquals(2, run("live", "--runner=FlinkRunner", archive, "--checkpointingMode=AT_LEAST_ONCE"));
    assertTrue(err.toString().contains("outputs wait for the checkpoint (--publishAfterCheckpoint, the default), which"
        + " needs --checkpointingMode=EXACTLY_ONCE and a --checkpointingInterval above 0 (given: AT_LEAST_ONCE, 10000)"),
        err.toString());
    assertEquals(2, run("live", "--runner=FlinkRunner", archive, "--checkpointingInterval=-1"));
    assertTrue(err.toString().contains("(given: EXACTLY_ONCE, -1)"), err.toString());
    String[] off = {"--runner=FlinkRunner", "--archive=/a", "--checkpointingInterval=-1", "--publishAfterCheckpoint=false"};
    RunnerDefaults.applyLive(Main.options(off, LiveOptions.class), off);
  }

  @Test
  void directRunnerChecksAreOffUnlessAskedFor() {
    ReplayOptions quiet = Main.options(new String[] {"--archive=/a", "--output=/o"}, ReplayOptions.class);
    assertFalse(quiet.as(DirectOptions.class).isEnforceImmutability());
    assertFalse(quiet.as(DirectOptions.class).isEnforceEncodability());
    ReplayOptions asked = Main.options(
        new String[] {"--archive=/a", "--output=/o", "--enforceImmutability=true", "--enforceEncodability"},
        ReplayOptions.class);
    assertTrue(asked.as(DirectOptions.class).isEnforceImmutability());
    assertTrue(asked.as(DirectOptions.class).isEnforceEncodability());
  }

  @Test
  void theLiveJobCheckpointsEveryTenSecondsClosesBundlesByTimeAndSharesStateValuesUnlessTold() {
    String[] plain = {"--runner=FlinkRunner", "--archive=/a"};
    LiveOptions live = Main.options(plain, LiveOptions.class);
    RunnerDefaults.applyLive(live, plain);
    assertEquals(10_000L, live.as(FlinkPipelineOptions.class).getCheckpointingInterval());
    assertEquals(250L, live.as(FlinkPipelineOptions.class).getMaxBundleTimeMills());
    assertEquals(20_000L, live.as(FlinkPipelineOptions.class).getMaxBundleSize());
    assertTrue(live.as(FlinkPipelineOptions.class).getAttachedMode(), "detached only under flink run -d");
    assertTrue(live.as(FlinkPipelineOptions.class).getFasterCopy(), "heap state shares values with checkpoints");
    String[] told = {"--runner=FlinkRunner", "--archive=/a", "--checkpointingInterval=60000", "--maxBundleTimeMills=1000",
        "--maxBundleSize=1000", "--fasterCopy=false"};
    LiveOptions prod = Main.options(told, LiveOptions.class);
    RunnerDefaults.applyLive(prod, told);
    assertEquals(60_000L, prod.as(FlinkPipelineOptions.class).getCheckpointingInterval());
    assertEquals(1_000L, prod.as(FlinkPipelineOptions.class).getMaxBundleTimeMills());
    assertEquals(1_000L, prod.as(FlinkPipelineOptions.class).getMaxBundleSize());
    assertFalse(prod.as(FlinkPipelineOptions.class).getFasterCopy());
  }

  @Test
  void argumentFilesAreRejectedWhenMissing() {
    assertThrows(IllegalArgumentException.class, () -> Main.expandArgFiles(List.of("@/no/such/file.args")));
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    return p.getFileName().toString().equals("pipelines") ? p.getParent() : p;
  }
}
