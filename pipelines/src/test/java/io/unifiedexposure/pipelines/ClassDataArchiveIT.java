package io.unifiedexposure.pipelines;

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
 * The bundled jar's class-data archive, written by the build's training run (pipelines/pom.xml)
 * and mapped by {@code ./exposure}: it must be at least as new as the jar (the launcher uses no
 * other), valid for this JDK and that jar, and hold the classes a replay loads, on both runners.
 * Runs after {@code package}, in {@code mvn verify}.
 */
class ClassDataArchiveIT {
  private static final Path JAR = Path.of("target/unified-exposure-bundled.jar").toAbsolutePath();
  private static final Path ARCHIVE = Path.of("target/unified-exposure-bundled.jsa").toAbsolutePath();

  @Test
  void theArchiveIsValidForTheJarAndHoldsWhatAReplayLoads() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "the bundled jar is built before this test: " + JAR);
    assertTrue(Files.isRegularFile(ARCHIVE), "the build writes the class-data archive: " + ARCHIVE);
    assertFalse(
        Files.getLastModifiedTime(JAR).compareTo(Files.getLastModifiedTime(ARCHIVE)) > 0,
        "the archive is written after the jar (the launcher ignores an older one)");

    String listing = printArchive();
    assertTrue(listing.contains("archive is valid"), "the JVM accepts the archive for this jar:\n" + tail(listing));
    for (String loaded :
        List.of(
            "io.unifiedexposure.pipelines.Main",
            "io.unifiedexposure.pipelines.replay.ReplayExposure",
            "io.unifiedexposure.graph.DedupBoundedShard",
            "org.apache.beam.runners.flink.FlinkRunner",
            "org.apache.beam.runners.direct.DirectRunner",
            "org.apache.flink.runtime.minicluster.MiniCluster",
            "org.apache.parquet.hadoop.ParquetReader")) {
      assertTrue(listing.contains(" " + loaded + " app_loader"), loaded + " is in the archive");
    }
  }

  /** The archive's classes as the JVM lists them ({@code -XX:+PrintSharedArchiveAndExit}). */
  private static String printArchive() throws IOException, InterruptedException {
    Path out = Files.createTempFile("class-data-archive", ".txt");
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:SharedArchiveFile=" + ARCHIVE,
                  "-XX:+PrintSharedArchiveAndExit",
                  "-jar",
                  JAR.toString())
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
