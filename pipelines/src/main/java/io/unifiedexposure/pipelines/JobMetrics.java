package io.unifiedexposure.pipelines;

import io.unifiedexposure.graph.ExposureMetrics;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The graph's Beam counters as a runner reports them (attempted values, summed over steps). */
public final class JobMetrics {
  private JobMetrics() {}

  /** Every counter of the {@code exposure} namespace by name; empty when the runner cannot say yet. */
  public static Map<String, Long> counters(PipelineResult job) {
    return counters(job, ExposureMetrics.NAMESPACE);
  }

  /** Every counter of one namespace by name; empty when the runner cannot say yet. */
  public static Map<String, Long> counters(PipelineResult job, String namespace) {
    Map<String, Long> out = new TreeMap<>();
    try {
      MetricQueryResults r =
          job.metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(namespace))
                      .build());
      for (MetricResult<Long> c : r.getCounters()) {
        out.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    } catch (RuntimeException notYet) {
      // A job that has not started reporting has no counters yet.
    }
    return out;
  }
}
