package io.unifiedexposure.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The class-data archives the build writes beside both jars (tools/pom.xml) and {@code ./exposure}
 * maps: each must be at least as new as its jar (the launcher uses no other), valid for this JDK and
 * that jar, and hold the classes its training run loaded. Runs after {@code package}, in {@code mvn
 * verify}.
 */
class ClassDataArchiveIT {
  private static final Path PIPELINES = Path.of("../pipelines/target").toAbsolutePath();
  private static final Path TOOLS = Path.of("target").toAbsolutePath();

  /** The production jar's archive: trained on a FlinkRunner replay. */
  @Test
  void theProductionJarsArchiveHoldsWhatAFlinkReplayLoads() throws Exception {
    assertArchiveHolds(
        PIPELINES.resolve("unified-exposure-bundled.jar"),
        PIPELINES.resolve("unified-exposure-bundled.jsa"),
        List.of(
            "io.unifiedexposure.pipelines.Main",
            "io.unifiedexposure.pipelines.replay.ReplayExposure",
            "io.unifiedexposure.graph.bounded.DedupBoundedShard",
            "org.apache.beam.runners.flink.FlinkRunner",
            "org.apache.flink.runtime.minicluster.MiniCluster",
            "org.apache.parquet.hadoop.ParquetReader"));
  }

  /** The tools jar's archive: trained on a small bench (a replay on both runners). */
  @Test
  void theToolsJarsArchiveHoldsWhatTheBenchLoads() throws Exception {
    assertArchiveHolds(
        TOOLS.resolve("unified-exposure-tools.jar"),
        TOOLS.resolve("unified-exposure-tools.jsa"),
        List.of(
            "io.unifiedexposure.tools.Tools",
            "io.unifiedexposure.tools.bench.Bench",
            "io.unifiedexposure.graph.bounded.DedupBoundedShard",
            "org.apache.beam.runners.flink.FlinkRunner",
            "org.apache.beam.runners.direct.DirectRunner",
            "org.apache.parquet.hadoop.ParquetReader"));
  }

  private static void assertArchiveHolds(Path jar, Path archive, List<String> classes) throws Exception {
    assertTrue(Files.isRegularFile(jar), "the jar is built before this test: " + jar);
    assertTrue(Files.isRegularFile(archive), "the build writes the class-data archive: " + archive);
    assertFalse(
        Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(archive)) > 0,
        "the archive is written after the jar (the launcher ignores an older one)");
    String listing = printArchive(jar, archive);
    assertTrue(listing.contains("archive is valid"), "the JVM accepts the archive for this jar:\n" + tail(listing));
    for (String loaded : classes) {
      assertTrue(listing.contains(" " + loaded + " app_loader"), loaded + " is in " + archive.getFileName());
    }
  }

  /** The archive's classes as the JVM lists them ({@code -XX:+PrintSharedArchiveAndExit}). */
  private static String printArchive(Path jar, Path archive) throws IOException, InterruptedException {
    Path out = Files.createTempFile("class-data-archive", ".txt");
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:SharedArchiveFile=" + archive,
                  "-XX:+PrintSharedArchiveAndExit",
                  "-jar",
                  jar.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      assertTrue(p.waitFor(2, TimeUnit.MINUTES), "listing the archive finished");
      assertEquals(0, p.exitValue(), () -> "listing the archive exits 0:\n" + tail(read(out)));
      return read(out);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }
}
