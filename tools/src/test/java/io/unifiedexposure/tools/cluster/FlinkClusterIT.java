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
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Path JAR = Path.of("../pipelines/target/unified-exposure-bundled.jar").toAbsolutePath();
  private static final Path CONF = Path.of("../runners-config/flink/cluster").toAbsolutePath();
  private static final List<String> OPENS =
      Arrays.stream(new String[] {"java.lang", "java.util", "java.nio", "java.lang.reflect", "java.io",
              "java.net", "sun.nio.ch", "java.time"})
          .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
          .collect(Collectors.toList());
  private static final List<String> NOT_FLINK =
      List.of("/org/apache/beam/", "/io/unifiedexposure/", "/target/", "/org/apache/kafka/", "/org/apache/parquet/",
          "/org/apache/avro/", "/org/apache/hadoop/", "junit", "hamcrest", "opentest4j", "apiguardian", "surefire",
          // The embedded broker's libraries (Jackson modules, Scala): Flink uses its own shaded copies,
          // and a Jackson module on the cluster's classpath breaks the job's own Jackson.
          "/com/fasterxml/jackson/", "/org/scala-lang/", "scala-logging");

  @TempDir static Path dir;
  private static final List<Process> cluster = new ArrayList<>();
  private static String flinkClasspath;
  private static int restPort;
  private static RandomHistory history;

  @BeforeAll
  static void startClusterAndWriteArchive() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "the bundled jar is built before this test: " + JAR);
    flinkClasspath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> NOT_FLINK.stream().noneMatch(e::contains))
            .collect(Collectors.joining(File.pathSeparator));
    assertTrue(flinkClasspath.contains("flink-runtime-1.19"), "the cluster runs Flink 1.19's own jars");
    restPort = freePort();
    List<String> ports = List.of("-Drest.port=" + restPort, "-Djobmanager.rpc.port=" + freePort());
    cluster.add(start("jobmanager", List.of("-Xmx768m"),
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", ports));
    cluster.add(start("taskmanager",
        List.of("-Xmx1152m", "-XX:MaxDirectMemorySize=512m", "-XX:MaxMetaspaceSize=256m"),
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", ports));

    history = RandomHistory.generate(23, 500, 3, 5, GRID);
    ArchiveFixtures.writeOwnArchive(history.shuffledRawRecords(4), dir.resolve("archive"));
    awaitTaskManager();
  }

  @AfterAll
  static void stopCluster() throws IOException {
    cluster.forEach(Process::destroyForcibly);
    // The cluster's and the submissions' logs outlive the temporary directory, for a failed run.
    Path logs = Files.createDirectories(Path.of("target/flink-cluster-it-logs"));
    try (var files = Files.list(dir)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).collect(Collectors.toList())) {
        Files.copy(log, logs.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  void flinkRunSubmitsTheBundledJarAndItReplaysToTheOracle() throws Exception {
    List<String> cmd = java(flinkClasspath, List.of());
    cmd.addAll(List.of("org.apache.flink.client.cli.CliFrontend", "run", "-m", "localhost:" + restPort,
        "-c", "io.unifiedexposure.pipelines.Main", JAR.toString(),
        "replay", "--runner=FlinkRunner", "--archive=" + dir.resolve("archive"),
        "--output=" + dir.resolve("out-flink-run")));
    int finished = jobsFinished();
    assertEquals(0, run(cmd, "flink-run", Map.of("FLINK_CONF_DIR", CONF.toString())));
    assertEquals(finished + 1, jobsFinished(), "the job ran on the cluster");
    assertReplayedToTheOracle(dir.resolve("out-flink-run"));
  }

  @Test
  void theLauncherSubmitsToTheClusterWithRelativePaths() throws Exception {
    List<String> cmd = java(null, List.of("-jar", JAR.toString()));
    cmd.addAll(List.of("replay", "--runner=FlinkRunner", "--flinkMaster=localhost:" + restPort,
        "--archive=archive", "--output=out-launcher"));
    int finished = jobsFinished();
    assertEquals(0, run(cmd, "launcher", Map.of()));
    assertEquals(finished + 1, jobsFinished(), "the job ran on the cluster");
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
      List<String> cmd = java(flinkClasspath, List.of());
      cmd.addAll(List.of("org.apache.flink.client.cli.CliFrontend", "run", "-d", "-m", "localhost:" + restPort,
          "-c", "io.unifiedexposure.pipelines.Main", JAR.toString(),
          "live", "--runner=FlinkRunner", "--bootstrapServers=" + kafka.bootstrapServers(),
          "--inputTopic=" + events, "--projectionsTopic=" + projections,
          "--deadLetterTopic=cluster-dead-letters", "--beyondLatenessTopic=cluster-beyond",
          "--archive=" + dir.resolve("live-archive"), "--earlyFiringDelay=PT1S", "--idleTimeout=PT2S"));
      try {
        assertLiveJobConverges(cmd, kafka, projections, stream);
      } finally {
        // Before the broker stops: a Kafka producer closing against a stopped broker waits for its
        // delivery timeout (2 min), and so would the cancelled job's writers.
        cancelRunningJobs();
      }
    }
  }

  private static void assertLiveJobConverges(
      List<String> cmd, EmbeddedKafka kafka, String projections, DemoStream stream) throws Exception {
    assertEquals(0, run(cmd, "flink-run-live", Map.of("FLINK_CONF_DIR", CONF.toString())));
    assertTrue(Files.readString(dir.resolve("flink-run-live.log")).contains("job submitted, detached: RUNNING"),
        tail("flink-run-live"));
    assertTrue(overview().contains("\"jobs-running\":1"), "the live job runs on the cluster: " + overview());

    // The newest pane of every window converges to the oracle, as on the mini cluster (LiveSpec).
    Map<String, long[]> oracle = Oracle.totals(stream.history.arrivals, GRID);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Map<String, ProjectionRow> newest = Map.of();
    while (System.nanoTime() < deadline && !sameTotals(oracle, newest)) {
      Thread.sleep(2000);
      newest = ProjectionUpsert.newest(ReadBack.topic(kafka.bootstrapServers(), projections).stream()
          .map(r -> ProjectionRecords.fromJson(r.value())).collect(Collectors.toList()));
    }
    assertEquals(oracle.keySet(), newest.keySet(), tail("flink-run-live") + tail("taskmanager"));
    assertTrue(sameTotals(oracle, newest), "newest panes equal the oracle");
  }

  /** Cancels what runs (the live job holds both slots) and waits until the slots are free again. */
  private static void cancelRunningJobs() throws Exception {
    String jobs = rest("GET", "/jobs");
    Matcher running = Pattern.compile("\\{\"id\":\"([0-9a-f]+)\",\"status\":\"RUNNING\"\\}").matcher(jobs);
    List<String> answers = new ArrayList<>();
    while (running.find()) {
      answers.add(rest("PATCH", "/jobs/" + running.group(1) + "?mode=cancel"));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!overview().contains("\"slots-available\":2") && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertTrue(overview().contains("\"jobs-running\":0"), "the live job was cancelled: " + overview()
        + "\njobs before: " + jobs + "\ncancel answers: " + answers + tail("taskmanager"));
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
    ReplayManifest manifest = ReplayManifest.read(output);
    assertEquals("DONE", manifest.state);
    assertEquals((long) history.arrivals.size(), manifest.counters.get("records_in"), "counters came back from the cluster");
    assertTrue(overview().contains("\"jobs-failed\":0"), "no job failed on the cluster: " + overview());
  }

  private static Process start(String name, List<String> jvm, String main, List<String> dynamic) throws IOException {
    List<String> cmd = java(flinkClasspath, jvm);
    cmd.add(main);
    cmd.addAll(List.of("--configDir", CONF.toString()));
    dynamic.forEach(d -> cmd.addAll(List.of("-D", d.substring(2))));
    // The cluster works in a directory of its own, as a real one would: relative paths given to
    // the launcher must not be resolved there.
    Path workDir = Files.createDirectories(dir.resolve("cluster-" + name));
    return new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
  }

  private static int run(List<String> cmd, String name, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish in 180 s; log: " + tail(name));
    }
    if (p.exitValue() != 0) {
      System.err.println(tail(name));
    }
    return p.exitValue();
  }

  private static List<String> java(String classpath, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(OPENS);
    cmd.addAll(args);
    if (classpath != null) {
      cmd.addAll(List.of("-cp", classpath));
    }
    return cmd;
  }

  private static void awaitTaskManager() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (overview().contains("\"taskmanagers\":1")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no TaskManager registered in 90 s; " + tail("jobmanager") + tail("taskmanager"));
  }

  private static String overview() {
    try {
      return rest("GET", "/overview");
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  /** A call to the JobManager's REST API: the body of a GET, or status and body otherwise. */
  private static String rest(String method, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    return method.equals("GET") ? r.body() : r.statusCode() + " " + r.body();
  }

  private static int jobsFinished() {
    Matcher m = Pattern.compile("\"jobs-finished\":(\\d+)").matcher(overview());
    assertTrue(m.find(), "cluster overview readable: " + overview());
    return Integer.parseInt(m.group(1));
  }

  private static String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      return "\n--- " + name + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
