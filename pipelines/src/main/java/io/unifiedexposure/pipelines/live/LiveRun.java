package io.unifiedexposure.pipelines.live;

import org.checkerframework.checker.nullness.qual.Nullable;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.IsoDurations;
import io.unifiedexposure.pipelines.JobMetrics;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.RunnerDefaults;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Running the live job inside another program (the demo, the bench, the end-to-end tests): start it
 * without blocking, and tell when it has drained its input topic.
 */
public final class LiveRun {
  /** How long a drain may show no progress at all before it counts as stalled. */
  static final int STALL_MINUTES = 5;

  private LiveRun() {}

  /**
   * Non-blocking run with a cancellable handle; on Flink, checkpoints every 2 s (offsets are committed
   * at checkpoints) to durable storage ({@link RunnerDefaults#applyLiveState}), the launcher's
   * bundles ({@link RunnerDefaults#liveBundlesUnlessSet}), heap state sharing values with
   * checkpoints ({@link RunnerDefaults#shareStateValuesWithCheckpoints}).
   */
  public static void configureRunner(LiveOptions live) {
    if (live.getRunner().getSimpleName().startsWith("Direct")) {
      live.as(DirectOptions.class).setBlockOnRun(false);
    } else if (RunnerDefaults.isFlink(live)) {
      FlinkPipelineOptions flink = live.as(FlinkPipelineOptions.class);
      flink.setAttachedMode(false);
      RunnerDefaults.finishBundlesBeforeCheckpoints(flink);
      RunnerDefaults.liveBundlesUnlessSet(flink);
      RunnerDefaults.shareStateValuesWithCheckpoints(flink);
      if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() <= 0) {
        flink.setCheckpointingInterval(2000L);
      }
      RunnerDefaults.applyLiveState(live);
    }
  }

  /**
   * Waits until the job has taken in {@code produced} records (its {@code records_in} counter), the
   * archive holds {@code validRecords} rows, and the projections topic has been quiet for {@link
   * #quietMillis}. Gives up once nothing has moved (records taken in, rows archived, projection
   * rows) for {@value #STALL_MINUTES} minutes, however long the whole drain takes: a DirectRunner job
   * takes in a few hundred records a second.
   */
  public static void awaitDrained(
      PipelineResult job, String bootstrapServers, LiveOptions live, long produced, long validRecords,
      Path archive, PrintStream out) throws InterruptedException, IOException {
    long quietMillis = quietMillis(live);
    long lastProgress = System.currentTimeMillis();
    long lastLag = Long.MAX_VALUE;
    long lastArchived = -1;
    long lastOutputEnd = -1;
    long quietSince = System.currentTimeMillis();
    long nextReport = System.currentTimeMillis() + 10_000;
    try (Admin admin = admin(bootstrapServers)) {
      while (System.currentTimeMillis() - lastProgress < STALL_MINUTES * 60_000L) {
        failIfStopped(job, live.getInputTopic());
        long lag = lag(job, admin, live, produced);
        long archived = lag == 0 ? ReadBack.parquetRowCount(archive.toString()) : -1;
        long outputEnd = endOffset(admin, live.getProjectionsTopic());
        if (outputEnd != lastOutputEnd) {
          lastOutputEnd = outputEnd;
          quietSince = System.currentTimeMillis();
          lastProgress = quietSince;
        }
        if (lag < lastLag || archived > lastArchived) {
          lastLag = Math.min(lag, lastLag);
          lastArchived = Math.max(archived, lastArchived);
          lastProgress = System.currentTimeMillis();
        }
        if (lag == 0 && archived == validRecords && System.currentTimeMillis() - quietSince >= quietMillis) {
          return;
        }
        if (System.currentTimeMillis() >= nextReport) {
          nextReport += 10_000;
          out.printf("   ... records not yet taken in %s, archived %s of %,d, %,d projection rows so far%n",
              lag == Long.MAX_VALUE ? "unknown" : String.format("%,d", lag),
              archived < 0 ? "?" : String.format("%,d", archived), validRecords, outputEnd);
        }
        Thread.sleep(1000);
      }
    }
    Map<Thread, StackTraceElement[]> threads = Thread.getAllStackTraces();
    out.println("   the live job stalled; its JVM's threads:");
    threads.forEach((t, frames) -> {
      out.println("   \"" + t.getName() + "\" " + t.getState());
      for (StackTraceElement f : frames) {
        out.println("       at " + f);
      }
    });
    String offsets;
    try (Admin admin = admin(bootstrapServers)) {
      offsets = partitionOffsets(admin, live.getConsumerGroup(), live.getInputTopic());
    }
    throw new IllegalStateException("the live job did not drain '" + live.getInputTopic() + "' (nothing moved for "
        + STALL_MINUTES + " minutes; " + job.getState() + ", " + produced + " records produced, counters "
        + JobMetrics.counters(job) + "; " + offsets + "; " + runnerThreads(threads) + ")");
  }

  /**
   * How long the projections topic stays quiet before the job counts as drained: the early-firing
   * delay, plus on FlinkRunner one checkpoint interval when outputs wait for the checkpoint (held, or
   * written exactly once), plus 3 s.
   */
  static long quietMillis(LiveOptions live) {
    long quiet = IsoDurations.parse("earlyFiringDelay", live.getEarlyFiringDelay()).getMillis() + 3000;
    Long interval = live.as(FlinkPipelineOptions.class).getCheckpointingInterval();
    boolean waits = live.getPublishAfterCheckpoint() || live.getExactlyOnceOutput();
    if (RunnerDefaults.isFlink(live) && waits && interval != null && interval > 0) {
      quiet += interval;
    }
    return quiet;
  }

  /**
   * Each partition's end offset and the group's committed offset, e.g. {@code partition end/committed:
   * 0=68/60, 1=0/-, 2=304/300}: whether the records are in the topic at all, and how far the job got.
   */
  static String partitionOffsets(Admin admin, String group, String topic) {
    try {
      return "partition end/committed: " + positions(admin, group, topic).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()[0] + "/" + (e.getValue()[1] < 0 ? "-" : e.getValue()[1]))
          .collect(Collectors.joining(", "));
    } catch (Exception e) {
      return "partition offsets unknown (" + e + ")";
    }
  }

  /** Per partition number: {end offset, the group's committed offset or -1 when it has none}. */
  private static TreeMap<Integer, long[]> positions(Admin admin, String group, String topic) throws Exception {
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    TreeMap<Integer, long[]> out = new TreeMap<>();
    latestOffsets(admin, topic).forEach((tp, end) -> {
      var c = committed.get(tp);
      out.put(tp.partition(), new long[] {end, c == null ? -1 : c.offset()});
    });
    return out;
  }

  /**
   * What DirectRunner's worker threads are doing, in one line: each thread's state and the first
   * frame outside the JDK ("idle" for a pool thread waiting for work).
   */
  static String runnerThreads(Map<Thread, StackTraceElement[]> threads) {
    Map<String, Long> doing = new TreeMap<>();
    threads.forEach((t, frames) -> {
      if (t.getName().startsWith("direct-runner-worker")) {
        String where = "idle";
        for (StackTraceElement f : frames) {
          if (!f.getClassName().matches("(java|jdk|sun)\\..*")) {
            where = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName();
            break;
          }
        }
        doing.merge(t.getState() + " " + where, 1L, Long::sum);
      }
    });
    return "direct-runner-worker threads: " + (doing.isEmpty() ? "none" : doing.toString());
  }

  /**
   * A live job that has stopped will never drain: say so at once, with its error, not after minutes
   * of waiting.
   * A DirectRunner result is asked only by a short wait, never for its state: the wait throws the
   * job's error, but once {@code getState()} has returned a terminal state the result keeps that
   * state and every later wait returns it without the error (asking for the error first and the
   * state second lost the error when the job failed in between).
   */
  public static void failIfStopped(PipelineResult job, String inputTopic) {
    PipelineResult.State state;
    String why = "";
    if (job instanceof DirectRunner.DirectPipelineResult) {
      try {
        state = job.waitUntilFinish(org.joda.time.Duration.millis(1));
      } catch (RuntimeException | Error e) {
        state = PipelineResult.State.FAILED;
        why = ": " + e;
      }
    } else {
      state = job.getState();
      if (state != null && state.isTerminal()) {
        why = errorOf(job);
      }
    }
    if (state != null && state.isTerminal()) {
      throw new IllegalStateException(
          "the live job stopped (" + state + ") before draining '" + inputTopic + "'" + why);
    }
  }

  /** The error a job has failed with, as {@code ": <error>"}, or "" when it reports none. */
  private static String errorOf(PipelineResult job) {
    try {
      job.waitUntilFinish(org.joda.time.Duration.millis(1));
      return "";
    } catch (RuntimeException | Error e) {
      return ": " + e;
    }
  }

  /** Waits up to 60 s until the Parquet files below {@code dir} hold at least {@code n} rows. */
  public static void awaitParquetRows(String dir, long n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (ReadBack.parquetRowCount(dir) < n) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(dir + " did not hold " + n + " row(s) within 60 s");
      }
      Thread.sleep(200);
    }
  }

  /** Waits up to 60 s until a topic holds at least {@code n} records. */
  public static void awaitRecords(String bootstrapServers, String topic, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (ReadBack.topic(bootstrapServers, topic).size() < n) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("'" + topic + "' did not receive " + n + " record(s) within 60 s");
      }
      Thread.sleep(500);
    }
  }

  /**
   * Records produced but not yet taken in. Runners that report counters while running (Direct)
   * tell directly; others (a detached Flink job) are followed through the offsets their
   * checkpoints commit.
   */
  private static long lag(PipelineResult job, Admin admin, LiveOptions live, long produced) {
    return Math.min(produced - recordsIn(job), committedLag(admin, live.getConsumerGroup(), live.getInputTopic()));
  }

  /**
   * One heartbeat line of a running job: {@code exposure live: heartbeat: 12,345 records in
   * (+206/s), 11,000 facts counted, 120 dead letters, 0 beyond lateness; 1,234 records behind on
   * 'exposure-events'; watermark at least 2025-07-03T00:00:00Z}, from the job's counters {@code c}
   * and its {@link io.unifiedexposure.pipelines.FollowedJob#watermark}; {@code previousRecordsIn} and {@code
   * seconds} since it give the rate. Records behind are the input topic's end offsets minus the
   * consumer group's committed offsets (committed at checkpoints on FlinkRunner). Counters {@code c}
   * are null when the runner cannot show them (an in-process Flink cluster without a REST port):
   * the line says so instead of printing zeros.
   */
  public static String heartbeat(@Nullable Map<String, Long> c, OptionalLong watermark, Admin admin,
      LiveOptions live, long previousRecordsIn, double seconds) {
    long behind = committedLag(admin, live.getConsumerGroup(), live.getInputTopic());
    return String.format("exposure live: heartbeat: %s; %s behind on '%s'%s",
        counted(c, previousRecordsIn, seconds),
        behind == Long.MAX_VALUE ? "unknown records" : String.format("%,d records", behind), live.getInputTopic(),
        watermark.isPresent() ? "; watermark at least " + java.time.Instant.ofEpochMilli(watermark.getAsLong()) : "");
  }

  /** The heartbeat's counters part; says they cannot be seen when {@code c} is null, never zeros. */
  static String counted(@Nullable Map<String, Long> c, long previousRecordsIn, double seconds) {
    if (c == null) {
      return "counters not visible (an in-process Flink cluster shows them on a REST port: "
          + "--flinkConfDir=runners-config/flink)";
    }
    long in = c.getOrDefault(ExposureMetrics.RECORDS_IN, 0L);
    return String.format("%,d records in (+%,.0f/s), %,d facts counted, %,d dead letters, %,d beyond lateness",
        in, (in - previousRecordsIn) / Math.max(seconds, 0.001), c.getOrDefault(ExposureMetrics.FACTS_COUNTED, 0L),
        c.getOrDefault(ExposureMetrics.DEAD_LETTERS, 0L), c.getOrDefault(ExposureMetrics.BEYOND_LATENESS, 0L));
  }

  /** The graph's records_in counter as the runner reports it now (0 when it cannot say yet). */
  public static long recordsIn(PipelineResult job) {
    return JobMetrics.counters(job).getOrDefault(ExposureMetrics.RECORDS_IN, 0L);
  }

  private static long committedLag(Admin admin, String group, String topic) {
    try {
      long lag = 0;
      for (long[] p : positions(admin, group, topic).values()) {
        lag += p[0] - Math.max(p[1], 0);
      }
      return lag;
    } catch (Exception e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The records of a topic a consumer group has committed, summed over its partitions (the group's
   * offsets only; no end offsets are asked for).
   */
  public static long committedRecords(Admin admin, String group, String topic) throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  private static long endOffset(Admin admin, String topic) {
    try {
      return latestOffsets(admin, topic).values().stream().mapToLong(Long::longValue).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  /** The end offset of every partition of a topic. */
  private static Map<TopicPartition, Long> latestOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  public static Admin admin(String bootstrapServers) {
    return Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }
}
