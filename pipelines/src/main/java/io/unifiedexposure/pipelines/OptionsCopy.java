package io.unifiedexposure.pipelines;

import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.SerializableUtils;

/**
 * An independent copy of a job's options, for a program that runs several jobs from one command
 * line (reconcile's backfills, the demo's live job, replay and reconcile): each job gets its own
 * object with the same runner and graph settings, and setting a value on one changes no other.
 */
public final class OptionsCopy {
  private OptionsCopy() {}

  /** A copy of {@code options} (through serialization), viewed as {@code type}. */
  public static <T extends PipelineOptions> T of(PipelineOptions options, Class<T> type) {
    return SerializableUtils.clone(new SerializablePipelineOptions(options)).get().as(type);
  }
}
