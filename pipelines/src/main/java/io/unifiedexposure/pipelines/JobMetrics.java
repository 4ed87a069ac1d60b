package io.unifiedexposure.pipelines;

import io.unifiedexposure.graph.ExposureMetrics;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
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

  /** A gauge of the {@code exposure} namespace, its newest value over steps; empty when not reported. */
  public static OptionalLong gauge(PipelineResult job, String name) {
    try {
      MetricQueryResults r = job.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(ExposureMetrics.NAMESPACE, name)).build());
      GaugeResult newest = null;
      for (MetricResult<GaugeResult> g : r.getGauges()) {
        GaugeResult v = g.getAttempted();
        if (v != null && (newest == null || v.getTimestamp().isAfter(newest.getTimestamp()))) {
          newest = v;
        }
      }
      return newest == null || newest.equals(GaugeResult.empty()) ? OptionalLong.empty() : OptionalLong.of(newest.getValue());
    } catch (RuntimeException notYet) {
      return OptionalLong.empty();
    }
  }
}
