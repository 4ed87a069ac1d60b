package io.unifiedexposure.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.testing.EmbeddedKafka;
import io.unifiedexposure.testing.HostileRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./exposure} as a user runs it, from another folder: relative paths land where the command
 * runs, {@code @runners-config/...} is found where the product is installed, a live job prints its
 * start and a heartbeat, SIGTERM stops it in order (no JVM left behind), an unreachable broker is
 * one line within {@code --brokerTimeout}, and a non-empty directory the demo did not make is
 * refused, untouched.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("../exposure").toAbsolutePath().normalize();
  @TempDir Path elsewhere;

  @Test
  void aLiveJobFromAnotherFolderWritesThereAndStopsOnSigterm() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(elsewhere.resolve("kafka"))) {
      Path log = elsewhere.resolve("live.log");
      Process live = launchLive(kafka, 20, log, "@runners-config/direct.args", "--archive=rel-archive",
          "--archiveFlushInterval=PT1S", "--heartbeatInterval=PT1S");
      try {
        Path archive = elsewhere.resolve("rel-archive");
        long deadline = System.currentTimeMillis() + 120_000;
        while (parquetFiles(archive) == 0 && live.isAlive() && System.currentTimeMillis() < deadline) {
          Thread.sleep(500);
        }
        assertTrue(parquetFiles(archive) > 0, "the archive is written where the command runs:\n" + read(log));
        assertTrue(read(log).contains("exposure live: starting on DirectRunner: 'in' at " + kafka.bootstrapServers()),
            read(log));
        String heartbeat = "(?s).*exposure live: heartbeat: 21 records in \\(\\+[0-9,]+/s\\), 21 facts counted.*"
            + "behind on 'in'; watermark at least 2025-07-02T00:00:00Z.*";
        while (!read(log).matches(heartbeat) && live.isAlive() && System.currentTimeMillis() < deadline) {
          Thread.sleep(200);
        }
        assertTrue(read(log).matches(heartbeat), "a heartbeat, July 1st closed on time:\n" + read(log));
        List<ProcessHandle> family = new ArrayList<>(live.descendants().toList());
        family.add(live.toHandle());
        live.toHandle().destroy(); // SIGTERM to ./exposure
        assertTrue(live.waitFor(60, TimeUnit.SECONDS), "the launcher ends on SIGTERM:\n" + read(log));
        for (ProcessHandle p : family) {
          assertTrue(p.onExit().get(30, TimeUnit.SECONDS) != null && !p.isAlive(), "no process left: " + p.info());
        }
        assertTrue(read(log).contains("exposure live: stopping the job (signal)"), read(log));
      } finally {
        live.descendants().forEach(ProcessHandle::destroyForcibly);
        live.destroyForcibly();
      }
    }
  }

  @Test
  void aFlinkLiveJobsHeartbeatSaysRecordsOffsetsAndTheWatermark() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(elsewhere.resolve("kafka"))) {
      Path log = elsewhere.resolve("flink.log");
      Process live = launchLive(kafka, 50, log, "@runners-config/flink-local.args", "--archive=flink-archive",
          "--heartbeatInterval=PT2S", "--checkpointingInterval=2000");
      try {
        long deadline = System.currentTimeMillis() + 150_000;
        String heartbeat = "(?s).*exposure live: heartbeat: 51 records in \\(\\+[0-9,]+/s\\), 51 facts counted, 0 dead letters, "
            + "0 beyond lateness; [0-9,]+ records behind on 'in'; watermark at least 20[0-9-]+T[0-9:.]+Z.*";
        while (!read(log).matches(heartbeat) && live.isAlive() && System.currentTimeMillis() < deadline) {
          Thread.sleep(500);
        }
        assertTrue(read(log).matches(heartbeat), "a heartbeat with every record counted and the watermark:\n" + read(log));
        live.toHandle().destroy();
        assertTrue(live.waitFor(60, TimeUnit.SECONDS), "the launcher ends on SIGTERM:\n" + read(log));
      } finally {
        live.descendants().forEach(ProcessHandle::destroyForcibly);
        live.destroyForcibly();
      }
    }
  }

  @Test
  void anUnreachableBrokerIsOneLineWithinTheTimeout() throws Exception {
    Path log = elsewhere.resolve("unreachable.log");
    long t0 = System.nanoTime();
    Process live = launch(log, "live", "--bootstrapServers=127.0.0.1:1", "--brokerTimeout=PT3S", "--archive=a");
    assertTrue(live.waitFor(60, TimeUnit.SECONDS), read(log));
    assertEquals(1, live.exitValue(), read(log));
    assertTrue(read(log).contains("exposure live: cannot reach the Kafka broker at 127.0.0.1:1 within PT3S (--brokerTimeout)"),
        read(log));
    assertFalse(read(log).contains("\tat "), "no stack trace:\n" + read(log));
    assertTrue((System.nanoTime() - t0) / 1e9 < 45, "bounded by the timeout, not the clients' own");
  }

  @Test
  void aNonEmptyFolderTheDemoDidNotMakeIsRefusedUntouched() throws Exception {
    Path theirs = Files.createDirectories(elsewhere.resolve("notes"));
    Files.writeString(theirs.resolve("todo.txt"), "keep me");
    Path log = elsewhere.resolve("demo.log");
    Process demo = launch(log, "demo", "--workDir=notes");
    assertTrue(demo.waitFor(60, TimeUnit.SECONDS), read(log));
    assertEquals(2, demo.exitValue(), read(log));
    assertTrue(read(log).contains("--workDir=" + theirs.toRealPath() + " is not empty")
        || read(log).contains("--workDir=" + theirs + " is not empty"), read(log));
    assertEquals("keep me", Files.readString(theirs.resolve("todo.txt")));
  }

  /**
   * {@code ./exposure live} on topic {@code in} holding {@code records} good events (outputs {@code
   * out}, {@code dead}, {@code beyond}), with {@code flags}.
   */
  private Process launchLive(EmbeddedKafka kafka, int records, Path log, String... flags) throws Exception {
    kafka.createTopics(Map.of("in", 1, "out", 1, "dead", 1, "beyond", 1));
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      sent.add(new ProducerRecord<>("in", null, HostileRecords.good("launcher-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    // A fact two days on: the watermark passes July 1st's end, whose on-time pane then fires.
    sent.add(new ProducerRecord<>("in", null, HostileRecords.good("launcher-later")
        .replace("2025-07-01T10:15:30.123Z", "2025-07-03T10:15:30.123Z").getBytes(StandardCharsets.UTF_8)));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
        Publish.inOrderConfig(Map.of(), kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      Publish.all(p, sent);
    }
    List<String> args = new ArrayList<>(List.of("live", "--bootstrapServers=" + kafka.bootstrapServers(),
        "--inputTopic=in", "--projectionsTopic=out", "--deadLetterTopic=dead", "--beyondLatenessTopic=beyond"));
    args.addAll(List.of(flags));
    return launch(log, args.toArray(new String[0]));
  }

  /** {@code ./exposure <args>} started in the temporary folder, its output in {@code log}. */
  private Process launch(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(elsewhere.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("EXPOSURE_BUILDING", "1"); // the build made the jars; never start another
    pb.environment().put("JVM_OPTS", "-Xmx1g");
    return pb.start();
  }

  private static long parquetFiles(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }
}
