package io.unifiedexposure.pipelines;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What the launchers change in a runner's defaults, unless the command line says otherwise.
 *
 * <p>DirectRunner: its immutability and encodability checks are off. They encode every element
 * again at every step and walk the whole pipeline for each bundle (measured: about 45% of a
 * replay's time), to catch DoFns that mutate their input or emit unencodable values. The graph's
 * specs run under TestPipeline with both checks on, so the launchers need not pay for them. Pass
 * {@code --enforceImmutability=true} or {@code --enforceEncodability=true} to have them back.
 *
 * <p>FlinkRunner: object reuse is on. Without it Flink copies every element through its coder
 * between chained operators, which Beam does not need: its model already forbids a DoFn to change
 * its input or what it has output. Pass {@code --objectReuse=false} to have the copies back.
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

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
