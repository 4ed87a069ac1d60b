package io.unifiedexposure.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.testing.EmbeddedKafka;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.tools.demo.DemoStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The live job on a {@link StandaloneCluster} with the production settings, fed by an embedded broker:
 * submitting it as an operator does ({@code flink run -d} with {@code runners-config/flink-prod.args}),
 * following its checkpoints and restores through the REST API, stopping it with a savepoint, and the
 * checks every end-to-end live test ends with: the newest pane of every window equals the oracle,
 * every refused record is dead-lettered, the archive holds every valid record and replays to the
 * oracle's answer.
 */
final class LiveOnCluster {
  static final WindowGrid GRID = ExposureGraph.create().grid();
  private static final Path PROD_ARGS = StandaloneCluster.CONF.getParent().getParent().resolve("flink-prod.args");

  final StandaloneCluster cluster;
  final EmbeddedKafka kafka;
  final DemoStream stream;
  private final Path dir;
  private final String name;
  private int submissions;

  /** Topics {@code <name>-events} (2 partitions), -projections, -dead-letters, -beyond; a stream of facts. */
  LiveOnCluster(String name, StandaloneCluster cluster, EmbeddedKafka kafka, Path dir, int facts) {
    this.name = name;
    this.cluster = cluster;
    this.kafka = kafka;
    this.dir = dir;
    kafka.createTopics(Map.of(name + "-events", 2, name + "-projections", 1, name + "-dead-letters", 1,
        name + "-beyond", 1));
    this.stream = new DemoStream(name + "-events", 13, facts, 3, 6, GRID);
  }

  /** Sends the stream's records {@code [from, to)}. */
  void produce(int from, int to) {
    stream.produce(kafka.bootstrapServers(), from, to);
  }

  /**
   * {@code flink run} of the bundled jar's live job with the production arguments, this machine's
   * overrides after them, then {@code extraJobArgs}; {@code flinkArgs} go to Flink's command line (for
   * example {@code -s <savepoint>}). Returns the exit code and keeps the output in {@code
   * flink-run-<n>.log}.
   */
  int submit(Path jar, List<String> flinkArgs, String... extraJobArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-d", "-m", "localhost:" + cluster.restPort));
    args.addAll(flinkArgs);
    args.addAll(List.of("-c", "io.unifiedexposure.pipelines.Main", jar.toString()));
    args.addAll(jobArgs(extraJobArgs));
    submissions++;
    return cluster.run(cluster.flink(args.toArray(new String[0])), submissionLog(),
        Map.of("FLINK_CONF_DIR", StandaloneCluster.CONF.toString()));
  }

  /**
   * The same job submitted by the launcher itself ({@code java -jar <jar> live ... --flinkMaster=<the
   * cluster's REST address> --attachedMode=false}), as {@code ./exposure live} does; returns its
   * exit code.
   */
  int submitWithLauncher(Path jar, String... extraJobArgs) throws Exception {
    List<String> cmd = StandaloneCluster.java(null, List.of("-jar", jar.toString()));
    cmd.addAll(jobArgs(extraJobArgs));
    cmd.addAll(List.of("--flinkMaster=localhost:" + cluster.restPort, "--attachedMode=false"));
    submissions++;
    return cluster.run(cmd, submissionLog(), Map.of());
  }

  private List<String> jobArgs(String... extra) {
    List<String> args = new ArrayList<>(List.of("live", "@" + PROD_ARGS,
        // This machine's cluster: two slots, checkpoints every 2 s into a local directory.
        "--parallelism=2", "--checkpointingInterval=2000", "--minPauseBetweenCheckpoints=500",
        "--executionRetryDelay=1000", "--stateBackendStoragePath=file://" + dir.resolve("checkpoints"),
        "--bootstrapServers=" + kafka.bootstrapServers(), "--inputTopic=" + name + "-events",
        "--projectionsTopic=" + name + "-projections", "--deadLetterTopic=" + name + "-dead-letters",
        "--beyondLatenessTopic=" + name + "-beyond", "--consumerGroup=" + name + "-group",
        "--archive=" + archive(), "--archiveFlushInterval=PT2S", "--earlyFiringDelay=PT1S", "--idleTimeout=PT2S"));
    args.addAll(Arrays.asList(extra));
    return args;
  }

  /** The id of the job that runs, once it does; fails if the submission's exit code was not 0. */
  String running(int submitted) throws Exception {
    assertEquals(0, submitted, cluster.tail(submissionLog()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (cluster.jobs("RUNNING").isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the job runs" + cluster.tail("jobmanager"));
      Thread.sleep(200);
    }
    return cluster.jobs("RUNNING").get(0);
  }

  /** Submits the job with {@code flink run} and returns its id once it runs. */
  String start(Path jar, List<String> flinkArgs, String... extraJobArgs) throws Exception {
    return running(submit(jar, flinkArgs, extraJobArgs));
  }

  /** The log of the latest {@code flink} command run by {@link #submit}. */
  String submissionLog() {
    return "flink-run-" + submissions;
  }

  /** {@code flink stop --savepointPath}: the job stops after a savepoint; returns the savepoint's path. */
  String stopWithSavepoint(String job) throws Exception {
    String log = "flink-stop-" + job;
    int code = cluster.run(cluster.flink("stop", "-m", "localhost:" + cluster.restPort,
        "--savepointPath", "file://" + dir.resolve("savepoints"), job), log,
        Map.of("FLINK_CONF_DIR", StandaloneCluster.CONF.toString()));
    assertEquals(0, code, cluster.tail(log) + cluster.tail("jobmanager"));
    Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(Files.readString(dir.resolve(log + ".log")));
    assertTrue(m.find(), "flink stop names the savepoint" + cluster.tail(log));
    return m.group(1);
  }

  long completedCheckpoints(String job) throws Exception {
    return checkpoints(job).path("counts").path("completed").asLong();
  }

  private JsonNode checkpoints(String job) throws Exception {
    return Json.parse(cluster.rest("GET", "/jobs/" + job + "/checkpoints"));
  }

  void awaitCompletedCheckpoints(String job, long atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (completedCheckpoints(job) < atLeast) {
      assertTrue(System.nanoTime() < deadline, "checkpoints complete: " + checkpoints(job)
          + cluster.tail(cluster.taskManagerLog()));
      Thread.sleep(500);
    }
  }

  /** Waits until the job runs again, restored from a checkpoint at least {@code times} times. */
  void awaitRestores(String job, int times) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      JsonNode counts = checkpoints(job).path("counts");
      String state = Json.parse(cluster.rest("GET", "/jobs/" + job)).path("state").asText();
      if (counts.path("restored").asLong() >= times && state.equals("RUNNING")) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "restore " + times + ": state " + state + ", " + counts
          + cluster.tail("jobmanager") + cluster.tail(cluster.taskManagerLog()));
      Thread.sleep(500);
    }
  }

  /**
   * Waits up to 300 s until the newest pane of every window (highest pane_index, the consumer's
   * upsert rule) equals the oracle over the whole stream, and asserts it; returns every row read.
   */
  List<ProjectionRow> assertConverged() throws Exception {
    Map<String, long[]> oracle = Oracle.totals(stream.history.arrivals, GRID);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    List<ProjectionRow> rows = List.of();
    Map<String, ProjectionRow> newest = Map.of();
    while (System.nanoTime() < deadline && !sameTotals(oracle, newest)) {
      Thread.sleep(2000);
      rows = ReadBack.topic(kafka.bootstrapServers(), name + "-projections").stream()
          .map(r -> ProjectionRecords.fromJson(r.value())).collect(Collectors.toList());
      newest = ProjectionUpsert.newest(rows);
    }
    assertEquals(oracle.keySet(), newest.keySet(),
        cluster.tail(submissionLog()) + cluster.tail("jobmanager") + cluster.tail(cluster.taskManagerLog()));
    Map<String, ProjectionRow> held = newest;
    assertTrue(sameTotals(oracle, newest), "the newest pane of every window equals the oracle; differing: "
        + oracle.entrySet().stream()
            .filter(e -> held.get(e.getKey()).exposureMinor() != e.getValue()[0]
                || held.get(e.getKey()).eventCount() != e.getValue()[1])
            .limit(10)
            .map(e -> e.getKey() + " oracle " + e.getValue()[0] + "/" + e.getValue()[1] + " facts, held " + held.get(e.getKey()))
            .collect(Collectors.joining("; ")));
    System.out.printf("%s: %,d projection rows for %,d windows; %,d reuse a pane_index with other content%n",
        name, rows.size(), newest.size(), reusedPaneIndexes(rows));
    return rows;
  }

  /** Rows whose window already published the same pane_index with another total or count. */
  static long reusedPaneIndexes(List<ProjectionRow> rows) {
    return reusedPaneIndexRows(rows).size();
  }

  /** Each such row, with the one published before it at that pane_index. */
  static List<String> reusedPaneIndexRows(List<ProjectionRow> rows) {
    Map<String, Map<Long, ProjectionRow>> seen = new HashMap<>();
    List<String> reused = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      ProjectionRow r = rows.get(i);
      ProjectionRow before = seen.computeIfAbsent(ProjectionUpsert.key(r), k -> new HashMap<>()).putIfAbsent(r.paneIndex(), r);
      if (before != null && (before.exposureMinor() != r.exposureMinor() || before.eventCount() != r.eventCount())) {
        reused.add("#" + i + " " + r + " after " + before);
      }
    }
    return reused;
  }

  /**
   * Every malformed record reaches the dead-letter topic (at least once), with its source
   * coordinate; returns {dead-letter records, distinct sources}.
   */
  long[] assertRefusedRecordsArePublished() {
    List<JsonNode> dead = ReadBack.topic(kafka.bootstrapServers(), name + "-dead-letters").stream()
        .map(r -> Json.parse(r.value())).collect(Collectors.toList());
    Set<String> malformed = new HashSet<>();
    for (JsonNode d : dead) {
      if (!d.get("reasons").get(0).get("code").asText().equals("event_id.conflict")) {
        assertTrue(DemoStream.MALFORMED.contains(d.get("payload").asText()), d.toString());
        malformed.add(d.get("source").asText());
      }
    }
    assertEquals(stream.malformed, malformed.size(), "each malformed record, by its source coordinate");
    long sources = dead.stream().map(d -> d.get("source").asText()).distinct().count();
    System.out.printf("%s: %,d dead-letter records for %,d distinct sources%n", name, dead.size(), sources);
    return new long[] {dead.size(), sources};
  }

  /** Waits (before the job is stopped) until the archive's files hold every valid record's source. */
  void awaitArchived() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (archivedSources().size() < stream.valid && System.nanoTime() < deadline) {
      Thread.sleep(1000);
    }
  }

  private Path archive() {
    return dir.resolve("archive");
  }

  private Set<String> archivedSources() throws IOException {
    Set<String> sources = new HashSet<>();
    ReadBack.parquetRows(archive()).forEach(r -> sources.add(String.valueOf(r.get("source"))));
    return sources;
  }

  void assertArchiveHoldsEveryValidRecordAndReplaysToTheOracle() throws Exception {
    Set<String> sources = archivedSources();
    assertTrue(sources.size() >= stream.valid, sources.size() + " distinct archived sources for " + stream.valid);

    ReplayOptions replay = PipelineOptionsFactory.fromArgs().as(ReplayOptions.class);
    replay.setArchive(archive().toString());
    replay.setOutput(dir.resolve("replay").toString());
    assertEquals(PipelineResult.State.DONE, ReplayExposure.run(replay));
    Map<String, ProjectionRow> replayed = new TreeMap<>();
    ReadBack.parquetRows(dir.resolve("replay/projections")).forEach(
        g -> replayed.put(ProjectionUpsert.key(ProjectionRecords.fromAvro(g)), ProjectionRecords.fromAvro(g)));
    assertTrue(sameTotals(Oracle.totals(stream.history.arrivals, GRID), replayed),
        "the archive replays to the oracle's answer");
  }

  private static boolean sameTotals(Map<String, long[]> oracle, Map<String, ProjectionRow> newest) {
    return oracle.keySet().equals(newest.keySet())
        && oracle.entrySet().stream().allMatch(e -> newest.get(e.getKey()).exposureMinor() == e.getValue()[0]
            && newest.get(e.getKey()).eventCount() == e.getValue()[1]);
  }
}
