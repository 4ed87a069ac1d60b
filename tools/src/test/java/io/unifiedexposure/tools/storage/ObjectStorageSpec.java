package io.unifiedexposure.tools.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.live.LiveExposure;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.live.LiveRun;
import io.unifiedexposure.pipelines.reconcile.Snapshot;
import io.unifiedexposure.pipelines.reconcile.SnapshotOptions;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayManifest;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.pipelines.storage.StoredReplays;
import io.unifiedexposure.testing.EmbeddedKafka;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import io.unifiedexposure.tools.live.OnBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything that is a path, on a real S3 server (s3proxy, in this process) through Beam's S3 file
 * system, on both runners: the live job archives to {@code s3://}, a replay reads that archive and
 * writes its projections and manifest there, {@code snapshot} writes the live job's newest panes there,
 * reconcile reads a replay and a Parquet snapshot from there and writes its report there, and a
 * targeted backfill recomputes a range. Bad credentials and
 * a missing bucket are one line each, with no secret in it.
 */
class ObjectStorageSpec {
  private static final WindowGrid GRID = ExposureGraph.create().grid();
  private static final String BUCKET = "exposure";
  @TempDir static Path dir;
  private static S3Server s3;
  private static EmbeddedKafka kafka;
  private static RandomHistory history;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3Server();
    s3.createBucket(BUCKET);
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    history = RandomHistory.generate(23, 400, 3, 5, GRID);
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
    s3.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void liveArchivesToS3_replayReadsItAndWritesThere_reconcileAndBackfillToo(String runner) throws Exception {
    String root = "s3://" + BUCKET + "/" + runner.toLowerCase();
    String archive = root + "/archive";
    List<String> runnerFlags = runner.equals("FlinkRunner")
        ? List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1")
        : List.of("--runner=DirectRunner");

    // Live: every copy of the history through the broker, archived in the bucket.
    LiveOptions live = Main.options(flags(runnerFlags, "--archive=" + archive), LiveOptions.class);
    OnBroker.configure(live, "s3-" + runner.toLowerCase(), kafka, dir, 1);
    live.setArchive(archive);
    List<Oracle.Copy> received = produceHistory(live.getInputTopic());
    PipelineResult job = LiveExposure.create(live).run();
    try {
      awaitArchivedAndPublished(job, live, archive, received.size());
    } finally {
      job.cancel();
    }
    assertTrue(s3.keys(BUCKET, runner.toLowerCase() + "/archive/dt=").stream().anyMatch(k -> k.endsWith(".parquet")),
        "archive files in Hive dt= folders in the bucket");

    // Replay: from the bucket's archive into the bucket; the answer is the oracle's.
    String replay = root + "/replay";
    ReplayManifest manifest = ReplayExposure.runForManifest(
        Main.options(flags(runnerFlags, "--archive=" + archive, "--output=" + replay), ReplayOptions.class));
    assertEquals("DONE", manifest.state);
    Map<String, ProjectionRow> rows = StoredReplays.rows(replay + "/projections");
    Map<String, long[]> oracle = Oracle.totals(received, GRID);
    assertEquals(oracle.keySet(), rows.keySet());
    oracle.forEach((k, t) -> {
      assertEquals(t[0], rows.get(k).exposureMinor(), k);
      assertEquals(t[1], rows.get(k).eventCount(), k);
    });
    assertEquals(archive, ReplayManifest.read(replay).archive, "the manifest is in the bucket beside the output");

    // Snapshot: the live job's projections topic, newest pane per window, into the bucket.
    String snapshot = root + "/snapshot";
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    Snapshot.run(Main.options(flags(List.of(), "--bootstrapServers=" + kafka.bootstrapServers(),
        "--projectionsTopic=" + live.getProjectionsTopic(), "--output=" + snapshot), SnapshotOptions.class),
        new PrintStream(said, true, StandardCharsets.UTF_8));
    List<ProjectionRow> panes = new ArrayList<>();
    ReadBack.topic(kafka.bootstrapServers(), live.getProjectionsTopic())
        .forEach(r -> panes.add(ProjectionRecords.fromJson(r.value())));
    assertFalse(panes.isEmpty(), "the live job published panes");
    assertEquals(ProjectionUpsert.newest(panes), StoredReplays.rows(snapshot), said.toString(StandardCharsets.UTF_8));

    // Reconcile: the replay and a Parquet snapshot of live panes, both in the bucket; report there.
    String report = root + "/report";
    StoredReplays.reconcileAgainstItself(List.of(flags(runnerFlags)), replay, report, rows.size());
    assertTrue(s3.keys(BUCKET, runner.toLowerCase() + "/report/").containsAll(List.of(
        runner.toLowerCase() + "/report/reconcile.json", runner.toLowerCase() + "/report/reconcile.html")));

    // A targeted backfill: two days of one merchant, recomputed from the bucket into the bucket.
    String merchant = rows.values().iterator().next().merchantId();
    Map<String, ProjectionRow> some = StoredReplays.rows(backfill(runnerFlags, archive, root + "/backfill", merchant));
    long from = java.time.Instant.parse("2025-07-01T00:00:00Z").toEpochMilli();
    long to = java.time.Instant.parse("2025-07-03T00:00:00Z").toEpochMilli();
    Map<String, ProjectionRow> expected = new TreeMap<>();
    rows.forEach((k, r) -> {
      long start = r.windowStart().getMillis();
      if (r.merchantId().equals(merchant) && start >= from && start < to) {
        expected.put(k, r);
      }
    });
    assertFalse(expected.isEmpty(), "the range selects windows");
    assertEquals(expected.keySet(), some.keySet());
    expected.forEach((k, r) -> assertEquals(r.exposureMinor(), some.get(k).exposureMinor(), k));
  }

  @Test
  void badCredentialsAndAMissingBucketAreOneLineWithoutTheSecret() throws Exception {
    String wrongSecret = "wrong-secret-do-not-print";
    List<String> wrong = new ArrayList<>(s3.flags(S3Server.ACCESS_KEY, wrongSecret));
    String refused = command("replay", wrong, "--archive=s3://" + BUCKET + "/any", "--output=" + dir.resolve("o1"));
    assertTrue(refused.startsWith("exposure replay: --archive=s3://" + BUCKET + "/any cannot be listed:"), refused);
    assertFalse(refused.contains(wrongSecret) || refused.contains(S3Server.SECRET_KEY), refused);
    assertEquals(1, refused.lines().count(), refused);

    String missing = command("replay", s3.flags(), "--archive=s3://no-such-bucket/archive",
        "--output=" + dir.resolve("o2"));
    assertTrue(missing.startsWith("exposure replay: --archive=s3://no-such-bucket/archive cannot be listed:"), missing);
    assertTrue(missing.contains("bucket"), missing);
    assertEquals(1, missing.lines().count(), missing);
  }

  /** What a command printed on its error stream (it must exit 2: refused before a job). */
  private static String command(String name, List<String> s3Flags, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of(name));
    args.addAll(s3Flags);
    args.addAll(List.of(more));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
    return err.toString(StandardCharsets.UTF_8).trim();
  }

  private static String backfill(List<String> runnerFlags, String archive, String output, String merchant)
      throws Exception {
    ReplayManifest m = ReplayExposure.runForManifest(Main.options(flags(runnerFlags, "--archive=" + archive,
        "--output=" + output, "--from=2025-07-01", "--to=2025-07-03", "--merchants=" + merchant), ReplayOptions.class));
    assertEquals("DONE", m.state);
    return output + "/projections";
  }

  private static String[] flags(List<String> runnerFlags, String... more) {
    List<String> args = new ArrayList<>(runnerFlags);
    args.addAll(s3.flags());
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  /**
   * The history's copies in arrival order; returns them as the live job receives them, each with its
   * Kafka timestamp as its receipt time (the winner rule among conflicting copies reads it).
   */
  private static List<Oracle.Copy> produceHistory(String topic) throws Exception {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (Oracle.Copy c : history.arrivals) {
      records.add(new ProducerRecord<>(topic, null, EventEncoder.toJsonBytes(c.event)));
    }
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
        Publish.inOrderConfig(Map.of(), kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      Publish.all(p, records);
    }
    List<Oracle.Copy> received = new ArrayList<>();
    for (ConsumerRecord<String, String> r : ReadBack.topic(kafka.bootstrapServers(), topic)) {
      received.add(new Oracle.Copy(
          EventDecoder.current().decode(r.value().getBytes(StandardCharsets.UTF_8)).event, r.timestamp()));
    }
    return received;
  }

  /**
   * Until every copy is archived and the job has published a pane: on FlinkRunner panes wait for
   * the checkpoint after them, so the archive can be complete before the first pane is out.
   */
  private static void awaitArchivedAndPublished(PipelineResult job, LiveOptions live, String archive, long expected)
      throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    long rows = 0;
    boolean published = false;
    while (System.currentTimeMillis() < deadline) {
      LiveRun.failIfStopped(job, live.getInputTopic());
      rows = ReadBack.parquetRowCount(archive);
      published = published || !ReadBack.topic(live.getBootstrapServers(), live.getProjectionsTopic()).isEmpty();
      if (rows >= expected && published) {
        break;
      }
      Thread.sleep(500);
    }
    assertEquals(expected, rows, "every copy archived in the bucket, once");
    assertTrue(published, "the live job published a pane within 120 s");
  }
}
