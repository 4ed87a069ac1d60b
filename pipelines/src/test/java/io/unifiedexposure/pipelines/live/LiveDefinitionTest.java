package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's state is only ever restored under the definition it was kept with. */
class LiveDefinitionTest {
  @TempDir Path dir;

  private static LiveOptions live(String... flags) {
    return PipelineOptionsFactory.fromArgs(flags).as(LiveOptions.class);
  }

  private String state() {
    return "file://" + dir.resolve("checkpoints");
  }

  @Test
  void theFirstRunRecordsItsDefinitionBesideTheCheckpoints() throws Exception {
    String said = LiveDefinition.enforce(live("--windowSize=PT12H", "--dedupShards=4"), state());
    assertTrue(said.startsWith("live definition recorded: windowSize=PT12H, allowedLateness=P3D, dedupShards=4"), said);
    String file = Files.readString(dir.resolve("checkpoints").resolve(LiveDefinition.FILE));
    assertTrue(file.contains("windowSize=PT12H") && file.contains("dedupShards=4"), file);
  }

  @Test
  void aRestartUnderTheSameDefinitionGoesOnAndDurationsCompareByLength() throws Exception {
    LiveDefinition.enforce(live("--windowSize=P1D"), state());
    String said = LiveDefinition.enforce(live("--windowSize=PT24H", "--earlyFiringDelay=PT5S"), state());
    assertEquals("live definition checked: windowSize=PT24H, allowedLateness=P3D, dedupShards=" + ExposureGraph.DEFAULT_DEDUP_SHARDS
        + ", reportingCurrency=EUR, currentDays=7", said);
  }

  @Test
  void aRestartWithAnotherWindowSizeLatenessOrShardCountIsRefusedNamingBoth() throws Exception {
    LiveDefinition.enforce(live(), state());
    IllegalArgumentException size =
        assertThrows(IllegalArgumentException.class, () -> LiveDefinition.enforce(live("--windowSize=PT12H"), state()));
    assertTrue(size.getMessage().startsWith("refused: the job state under " + state()
        + " was kept with allowedLateness=P3D, currentDays=7, dedupShards=" + ExposureGraph.DEFAULT_DEDUP_SHARDS
        + ", reportingCurrency=EUR, windowSize=P1D; this run asks for windowSize=PT12H."),
        size.getMessage());
    IllegalArgumentException lateness = assertThrows(IllegalArgumentException.class,
        () -> LiveDefinition.enforce(live("--allowedLateness=P1D", "--dedupShards=8"), state()));
    assertTrue(lateness.getMessage().contains("this run asks for allowedLateness=P1D, dedupShards=8."),
        lateness.getMessage());
  }

  /**
   * State recorded before there were converted rows holds no FX rates: a job with a reporting
   * currency starts on it; once recorded, another reporting currency is refused (the rates in the
   * state convert to the first).
   */
  @Test
  void aDefinitionFromBeforeConvertedRowsTakesAReportingCurrencyOnceAndKeepsIt() throws Exception {
    Path file = dir.resolve("checkpoints").resolve(LiveDefinition.FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "windowSize=P1D\nallowedLateness=P3D\ndedupShards=" + ExposureGraph.DEFAULT_DEDUP_SHARDS + "\n");
    assertTrue(LiveDefinition.enforce(live(), state()).startsWith("live definition checked"));
    Files.writeString(file, Files.readString(file) + "reportingCurrency=EUR\n");
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> LiveDefinition.enforce(live("--reportingCurrency=USD"), state()));
    assertTrue(other.getMessage().contains("this run asks for reportingCurrency=USD."), other.getMessage());
  }

  /** Likewise the days a current row sums: a definition from before takes a value once and keeps it. */
  @Test
  void aDefinitionFromBeforeCurrentRowsTakesCurrentDaysOnceAndKeepsIt() throws Exception {
    Path file = dir.resolve("checkpoints").resolve(LiveDefinition.FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "windowSize=P1D\nallowedLateness=P3D\ndedupShards=" + ExposureGraph.DEFAULT_DEDUP_SHARDS
        + "\nreportingCurrency=EUR\n");
    assertTrue(LiveDefinition.enforce(live("--currentDays=5"), state()).startsWith("live definition checked"));
    Files.writeString(file, Files.readString(file) + "currentDays=5\n");
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> LiveDefinition.enforce(live("--currentDays=7"), state()));
    assertTrue(other.getMessage().contains("this run asks for currentDays=7."), other.getMessage());
  }

  @Test
  void theLauncherRefusesWithExitTwoBeforeSubmittingAnything() throws Exception {
    String[] common = {"live", "--runner=FlinkRunner", "--flinkMaster=[local]", "--bootstrapServers=127.0.0.1:1",
      "--archive=" + dir.resolve("archive"), "--stateBackendStoragePath=" + state()};
    LiveDefinition.enforce(live("--windowSize=P1D"), state());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] changed = java.util.stream.Stream.concat(java.util.Arrays.stream(common), java.util.stream.Stream.of(
        "--windowSize=PT1H")).toArray(String[]::new);
    int code = Main.run(changed, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(err.toString().startsWith("exposure live: refused: the job state under"), err.toString());
  }
}
