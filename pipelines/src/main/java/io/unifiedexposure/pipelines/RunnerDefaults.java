package io.unifiedexposure.pipelines;

import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.storage.S3Clients;
import java.util.Arrays;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the launchers change in a runner's defaults, unless the command line says otherwise.
 *
 * <p>DirectRunner: {@code run()} returns at once ({@code --blockOnRun=false}); the launchers wait
 * for the job. Its immutability and encodability checks are off. They encode every element
 * again at every step and walk the whole pipeline for each bundle, to catch DoFns that mutate their input or emit unencodable values. The graph's
 * specs run under TestPipeline with both checks on, so the launchers need not pay for them. Pass
 * {@code --enforceImmutability=true} or {@code --enforceEncodability=true} to have them back.
 *
 * <p>FlinkRunner: object reuse is on. Without it Flink copies every element through its coder
 * between chained operators, which Beam does not need: its model already forbids a DoFn to change
 * its input or what it has output. Pass {@code --objectReuse=false} to have the copies back.
 *
 * <p>S3 clients are made by {@link S3Clients} (Beam's default client, path-style addressing when
 * {@code --s3PathStyleAccess}) unless {@code --s3ClientFactoryClass} names another.
 *
 * <p>A relative {@code --flinkConfDir} that is not below the working directory is looked up where
 * the product is installed ({@link Installation}).
 *
 * <p>The live job on FlinkRunner checkpoints every {@value #LIVE_CHECKPOINT_MILLIS} ms unless
 * {@code --checkpointingInterval} is given. Flink's default is no checkpoints, under which the
 * consumer group's offsets are never committed and nothing is exactly-once. Not shorter: frequent
 * checkpoints delay early panes ({@code exposure bench} measures it; docs/performance-log.md). It
 * closes a bundle after at most {@value #LIVE_MAX_BUNDLE_MILLIS} ms unless {@code
 * --maxBundleTimeMills} is given, or at {@value #LIVE_MAX_BUNDLE_SIZE} elements unless {@code
 * --maxBundleSize} is given, and its heap state shares values with checkpoints ({@link
 * #shareStateValuesWithCheckpoints}) unless {@code --fasterCopy} is given.
 */
public final class RunnerDefaults {
  public static final long LIVE_CHECKPOINT_MILLIS = 10_000L;
  /**
   * How long the live job on FlinkRunner keeps a bundle open at most (Beam's default is 1,000 ms).
   * The graph sums the dedup's hand-ons within a bundle before the window stage ({@code
   * SumWithinBundle}), so when traffic is light a bundle's open time adds to an early pane's delay.
   */
  public static final long LIVE_MAX_BUNDLE_MILLIS = 250L;
  /**
   * The most elements a bundle of the live job on FlinkRunner holds (Beam's streaming default is
   * 1,000). A bundle is what the graph gathers per dedup shard ({@code BatchPerShard}) and sums
   * across shards before the window stage ({@code SumWithinBundle}): at 1,000 elements a bundle of
   * the source closed every 20-30 ms at volume, so a shard's batch held 6 records and the window
   * stage took about one element for every two records. With bundles closed by time instead (this
   * is above what a source reads in {@value #LIVE_MAX_BUNDLE_MILLIS} ms at 80k ev/s), the dedup
   * took a ninth of the elements and the window stage a quarter: RocksDB p=1 1.56x, heap p=2 1.63x
   * (docs/performance-log.md). A bundle's records are held in memory until it closes.
   */
  public static final long LIVE_MAX_BUNDLE_SIZE = 20_000L;
  public static final int LIVE_RESTARTS = 10;
  public static final long LIVE_RESTART_DELAY_MILLIS = 10_000L;

  private RunnerDefaults() {}

  /**
   * {@link #apply}, plus for the live job on FlinkRunner: the checkpoint interval, and detached
   * mode when Flink's command line submits detached ({@code flink run -d}). Beam would otherwise
   * ask the detached submission for its accumulators and fail after the job was submitted.
   */
  public static void applyLive(PipelineOptions options, String... args) {
    apply(options, args);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!mentions(args, "--checkpointingInterval")) {
      flink.setCheckpointingInterval(LIVE_CHECKPOINT_MILLIS);
    }
    if (isFlink(options)) {
      if (!mentions(args, "--finishBundleBeforeCheckpointing")) {
        finishBundlesBeforeCheckpoints(flink);
      }
      if (!mentions(args, "--maxBundleTimeMills")) {
        flink.setMaxBundleTimeMills(LIVE_MAX_BUNDLE_MILLIS);
      }
      if (!mentions(args, "--maxBundleSize")) {
        flink.setMaxBundleSize(LIVE_MAX_BUNDLE_SIZE);
      }
      if (!mentions(args, "--fasterCopy")) {
        shareStateValuesWithCheckpoints(flink);
      }
      applyLiveState(options.as(LiveOptions.class));
      refuseIgnoredSavepoint(flink);
      refuseHeldOutputsWithoutExactlyOnceCheckpoints(options.as(LiveOptions.class));
    }
    if (isFlink(options) && !mentions(args, "--attachedMode") && flinkCliDetached()) {
      flink.setAttachedMode(false);
    }
  }

  /**
   * The live job's state on FlinkRunner. Flink's defaults keep checkpoints in the JobManager's memory
   * (at most 5 MB: a live job's dedup and window state outgrows it within minutes, and then every
   * checkpoint fails) and restart a failing job forever. Unless told otherwise: state on the heap,
   * checkpoints in {@code <archive>/_checkpoints} (durable wherever the archive is; a leading
   * underscore keeps Parquet readers of the archive out of it), and at most {@value #LIVE_RESTARTS}
   * restarts, {@value #LIVE_RESTART_DELAY_MILLIS} ms apart, after which the job fails and the
   * launcher exits 1 with the cause. Values already set (by a flag or an {@code @args} file) stay.
   */
  public static void applyLiveState(LiveOptions live) {
    FlinkPipelineOptions flink = live.as(FlinkPipelineOptions.class);
    if (flink.getStateBackend() == null) {
      flink.setStateBackend("filesystem");
    }
    if (flink.getStateBackendStoragePath() == null && live.getArchive() != null) {
      flink.setStateBackendStoragePath(checkpointDir(live.getArchive()));
    }
    if (flink.getNumberOfExecutionRetries() == null || flink.getNumberOfExecutionRetries() < 0) {
      flink.setNumberOfExecutionRetries(LIVE_RESTARTS);
    }
    if (flink.getExecutionRetryDelay() == null || flink.getExecutionRetryDelay() < 0) {
      flink.setExecutionRetryDelay(LIVE_RESTART_DELAY_MILLIS);
    }
  }

  /**
   * The live job on FlinkRunner finishes its bundles before a checkpoint's barrier. Otherwise Beam
   * finishes a bundle inside the checkpoint and keeps what that emits (the archive's batches, {@code
   * BatchRowsPerDate}) in the checkpoint, handing it on only with the operator's next record or
   * watermark: after the last record of a quiet spell the archive's last batch could wait for the
   * next one indefinitely (a drain at volume once waited five minutes for it).
   */
  public static void finishBundlesBeforeCheckpoints(FlinkPipelineOptions flink) {
    flink.setFinishBundleBeforeCheckpointing(true);
  }

  /**
   * The live job on FlinkRunner lets its heap state share values with a checkpoint still being
   * written, instead of copying them (Beam's {@code --fasterCopy}: its serializers' copy hands the
   * value itself back). After each checkpoint Flink's heap backend copies every state entry on its
   * first access, and Beam's copy encodes and decodes the value: for a dedup shard's map, every
   * {@code event_id} it holds, after every checkpoint (p=1 heap, old-new-new-old: 35.6k, 43.9k,
   * 41.7k, 37.1k ev/s, 1.18x). Sound because no state value of the live graph changes once written:
   * the graph's values are immutable and its accumulators are replaced, not updated; of Beam's own,
   * the trigger's finished bits are copied before they change and the value of the non-empty-pane
   * count is never read, only whether it exists (docs/design.md). RocksDB never shares values.
   */
  public static void shareStateValuesWithCheckpoints(FlinkPipelineOptions flink) {
    flink.setFasterCopy(true);
  }

  /**
   * For live jobs built in code (the demo's, the bench's, the tests'), which have no command line to
   * ask: bundles close within {@value #LIVE_MAX_BUNDLE_MILLIS} ms and at {@value
   * #LIVE_MAX_BUNDLE_SIZE} elements, each unless the options hold another value than FlinkRunner's
   * own defaults (read from FlinkRunner, not copied). FlinkRunner's defaults depend on the options'
   * streaming flag (1 s and 1,000 elements streaming, 10 s and 1,000,000 batch), and a live job's
   * options are streaming: both count as not set, so the job gets the same bundles as from the
   * launcher.
   */
  public static void liveBundlesUnlessSet(FlinkPipelineOptions flink) {
    FlinkPipelineOptions streaming = runnersDefaults(true);
    FlinkPipelineOptions batch = runnersDefaults(false);
    if (isEither(flink.getMaxBundleTimeMills(), streaming.getMaxBundleTimeMills(), batch.getMaxBundleTimeMills())) {
      flink.setMaxBundleTimeMills(LIVE_MAX_BUNDLE_MILLIS);
    }
    if (isEither(flink.getMaxBundleSize(), streaming.getMaxBundleSize(), batch.getMaxBundleSize())) {
      flink.setMaxBundleSize(LIVE_MAX_BUNDLE_SIZE);
    }
  }

  private static FlinkPipelineOptions runnersDefaults(boolean streaming) {
    FlinkPipelineOptions own = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    own.setStreaming(streaming);
    return own;
  }

  private static boolean isEither(long value, long a, long b) {
    return value == a || value == b;
  }

  /**
   * FlinkRunner restores {@code --savepointPath} only when it submits to a cluster itself ({@code
   * --flinkMaster=host:port}); under Flink's command line or on a local cluster it ignores the flag
   * and the job would start with empty state, counting from the consumer group's offsets. Refused
   * there, naming the way that works.
   */
  static void refuseIgnoredSavepoint(FlinkPipelineOptions flink) {
    String master = flink.getFlinkMaster();
    if (flink.getSavepointPath() != null && (master == null || master.startsWith("["))) {
      throw new IllegalArgumentException("--savepointPath=" + flink.getSavepointPath() + " is only restored when"
          + " the launcher submits to a cluster (--flinkMaster=<host:port>); with flink run, pass it as flink run -s "
          + flink.getSavepointPath() + " (--flinkMaster is " + master + ")");
    }
  }

  /**
   * Outputs held until the checkpoint ({@code --publishAfterCheckpoint}, the default) need
   * exactly-once checkpoints at an interval: FlinkRunner refuses the holding step otherwise, deep in
   * its translation. Refused here first, naming the flags.
   */
  static void refuseHeldOutputsWithoutExactlyOnceCheckpoints(LiveOptions live) {
    FlinkPipelineOptions flink = live.as(FlinkPipelineOptions.class);
    if (!live.getPublishAfterCheckpoint() || live.getExactlyOnceOutput()) {
      return;
    }
    Long interval = flink.getCheckpointingInterval();
    if (interval == null || interval <= 0 || !"EXACTLY_ONCE".equals(flink.getCheckpointingMode())) {
      throw new IllegalArgumentException("outputs wait for the checkpoint (--publishAfterCheckpoint, the default),"
          + " which needs --checkpointingMode=EXACTLY_ONCE and a --checkpointingInterval above 0 (given: "
          + flink.getCheckpointingMode() + ", " + interval + "); or pass --publishAfterCheckpoint=false");
    }
  }

  /** {@code <archive>/_checkpoints}, as a URI Flink's file systems accept. */
  static String checkpointDir(String archive) {
    String base = LocalPaths.absolute(archive).replaceAll("/+$", "");
    return (base.startsWith("/") ? "file://" : "") + base + "/_checkpoints";
  }

  /** FlinkRunner, or its test flavour TestFlinkRunner. */
  public static boolean isFlink(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    return runner.startsWith("Flink") || runner.startsWith("TestFlink");
  }

  /** Whether the job is being submitted by {@code flink run -d} (its context says: not attached). */
  private static boolean flinkCliDetached() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    return env instanceof StreamContextEnvironment
        && env.getConfiguration().getOptional(DeploymentOptions.ATTACHED).equals(Optional.of(false));
  }

  public static void apply(PipelineOptions options, String... args) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (!mentions(args, "--blockOnRun")) {
      // The launchers wait for the job themselves: a signal can cancel it (Main's shutdown hook),
      // and a replay reads its counters while it runs (its progress).
      direct.setBlockOnRun(false);
    }
    if (!mentions(args, "--jobName")) {
      // Beam makes the default name anew (its time of day) in each copy of the options: fixed here,
      // the launcher finds its job on Flink's REST API by the name the runner gives it.
      options.setJobName(options.getJobName());
    }
    if (!mentions(args, "--enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!mentions(args, "--enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!mentions(args, "--objectReuse")) {
      options.as(FlinkPipelineOptions.class).setObjectReuse(true);
    }
    String confDir = options.as(FlinkPipelineOptions.class).getFlinkConfDir();
    if (confDir != null) {
      // flink-local.args names runners-config/flink: found where the product is installed.
      options.as(FlinkPipelineOptions.class).setFlinkConfDir(Installation.resolve(confDir).toString());
    }
    if (!mentions(args, "--s3ClientFactoryClass")) {
      options.as(S3Options.class).setS3ClientFactoryClass(S3Clients.class);
    }
    PrometheusReporting.apply(options);
  }

  private static boolean mentions(String[] args, String flag) {
    return Arrays.stream(args).anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }
}
