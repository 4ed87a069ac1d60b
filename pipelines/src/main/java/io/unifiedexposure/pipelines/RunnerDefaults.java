package io.unifiedexposure.pipelines;

import java.util.Arrays;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the launchers change in a runner's defaults, unless the command line says otherwise.
 *
 * <p>DirectRunner: its immutability and encodability checks are off. They encode every element
 * again at every step and walk the whole pipeline for each bundle, to catch DoFns that mutate their input or emit unencodable values. The graph's
 * specs run under TestPipeline with both checks on, so the launchers need not pay for them. Pass
 * {@code --enforceImmutability=true} or {@code --enforceEncodability=true} to have them back.
 *
 * <p>FlinkRunner: object reuse is on. Without it Flink copies every element through its coder
 * between chained operators, which Beam does not need: its model already forbids a DoFn to change
 * its input or what it has output. Pass {@code --objectReuse=false} to have the copies back.
 *
 * <p>The live job on FlinkRunner checkpoints every {@value #LIVE_CHECKPOINT_MILLIS} ms unless
 * {@code --checkpointingInterval} is given. Flink's default is no checkpoints, under which the
 * consumer group's offsets are never committed and nothing is exactly-once. Not shorter: frequent
 * checkpoints delay early panes ({@code exposure bench} measures it; docs/performance-log.md).
 */
public final class RunnerDefaults {
  public static final long LIVE_CHECKPOINT_MILLIS = 10_000L;

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
    if (isFlink(options) && !mentions(args, "--attachedMode") && flinkCliDetached()) {
      flink.setAttachedMode(false);
    }
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
    if (!mentions(args, "--enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!mentions(args, "--enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!mentions(args, "--objectReuse")) {
      options.as(FlinkPipelineOptions.class).setObjectReuse(true);
    }
  }

  private static boolean mentions(String[] args, String flag) {
    return Arrays.stream(args).anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }
}
