package io.unifiedexposure.specs;

import io.unifiedexposure.graph.ExposureMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The graph's counters ({@link ExposureMetrics}) of a finished spec pipeline. */
final class Counters {
  private Counters() {}

  /** The counter's attempted total over all steps; 0 when it was never incremented. */
  static long of(PipelineResult result, String name) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ExposureMetrics.NAMESPACE, name))
                    .build());
    long total = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
