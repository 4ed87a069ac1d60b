package io.unifiedexposure.pipelines;

import io.unifiedexposure.graph.ExposureMetrics;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * A job run beside the launcher's thread, so the launcher can say how it goes while it runs.
 * DirectRunner's {@code run()} returns at once (the launchers' {@code --blockOnRun=false}) and its
 * result reports counters as it goes; FlinkRunner's attached {@code run()} returns only when the job
 * has ended, so until then counters and the watermark are read from Flink's REST API ({@link
 * FlinkRestMetrics}). A failure is thrown where the runner throws it: from {@link #awaitEnd} (the
 * failure of {@code run()} or of the wait).
 */
public final class FollowedJob {
  private final CompletableFuture<PipelineResult> running = new CompletableFuture<>();
  private final PipelineOptions options;
  private @Nullable FlinkRestMetrics flink;

  private FollowedJob(PipelineOptions options) {
    this.options = options;
  }

  /** Starts {@code pipeline} on a thread of its own that does not keep the JVM alive. */
  public static FollowedJob start(Pipeline pipeline, PipelineOptions options) {
    FollowedJob job = new FollowedJob(options);
    Thread t = new Thread(() -> {
      try {
        job.running.complete(pipeline.run());
      } catch (RuntimeException | Error e) {
        job.running.completeExceptionally(e);
      }
    }, "exposure-job");
    t.setDaemon(true);
    t.start();
    return job;
  }

  /** What {@code run()} returned (a detached submission's result), waiting for it as long as it takes. */
  public PipelineResult submitted() {
    PipelineResult r = resultWithin(Long.MAX_VALUE);
    if (r == null) {
      throw new IllegalStateException("the job did not start");
    }
    return r;
  }

  /** The job's result once it has ended, waiting at most {@code every}; null while it still runs. */
  public @Nullable PipelineResult awaitEnd(Duration every) {
    PipelineResult r = resultWithin(every.getMillis());
    if (r == null) {
      return null;
    }
    PipelineResult.State state = r.waitUntilFinish(every);
    return state != null && state.isTerminal() ? r : null;
  }

  /** The result while the job runs, when the runner gave one back already (DirectRunner); else null. */
  public @Nullable PipelineResult resultSoFar() {
    return running.isDone() && !running.isCompletedExceptionally() ? running.join() : null;
  }

  /**
   * Whether the job's counters can be read while it runs: DirectRunner's result, or the Flink job
   * found on its REST API (an in-process Flink cluster has one only on a configured port).
   */
  public boolean showsCounters() {
    return resultSoFar() != null || flink() != null;
  }

  /** The job's counters of one namespace now; empty when the runner cannot say yet. */
  public Map<String, Long> counters(String namespace) {
    PipelineResult r = resultSoFar();
    if (r != null) {
      return JobMetrics.counters(r, namespace);
    }
    FlinkRestMetrics rest = flink();
    return rest == null ? Map.of() : rest.counters(namespace);
  }

  /**
   * How far the job's event time has come: FlinkRunner's lowest operator watermark; where the
   * runner does not show one (DirectRunner), the end of the newest window closed on time ({@code
   * watermark_passed_ms}), which the watermark has passed. Empty until known.
   */
  public OptionalLong watermark() {
    PipelineResult r = resultSoFar();
    if (r != null) {
      return JobMetrics.gauge(r, ExposureMetrics.WATERMARK_PASSED);
    }
    FlinkRestMetrics rest = flink();
    return rest == null ? OptionalLong.empty() : rest.watermark();
  }

  private @Nullable FlinkRestMetrics flink() {
    if (flink == null && RunnerDefaults.isFlink(options)) {
      flink = FlinkRestMetrics.find(options.as(FlinkPipelineOptions.class)).orElse(null);
    }
    return flink;
  }

  private @Nullable PipelineResult resultWithin(long millis) {
    try {
      return running.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillRunning) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the job", e);
    } catch (ExecutionException e) {
      // The runner failed the job inside run(): thrown here as run() threw it.
      if (e.getCause() instanceof RuntimeException failed) {
        throw failed;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
