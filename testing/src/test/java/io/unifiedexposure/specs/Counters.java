package io.unifiedexposure.specs;

import io.unifiedexposure.graph.ExposureMetrics;
import org.apache.beam.runners.core.LateDataDroppingDoFnRunner;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The graph's counters ({@link ExposureMetrics}) of a finished spec pipeline. */
final class Counters {
  private Counters() {}

  /**
   * What the runner itself dropped as beyond the allowed lateness (Beam's {@code
   * droppedDueToLateness}, counted by its window stages): the graph routes every such fact to its
   * beyond-lateness output before a window stage sees it, so this stays 0.
   */
  static long droppedByTheRunner(PipelineResult result) {
    return total(result, MetricNameFilter.named(LateDataDroppingDoFnRunner.class, "droppedDueToLateness"));
  }

  /** The counter's attempted total over all steps; 0 when it was never incremented. */
  static long of(PipelineResult result, String name) {
    return total(result, MetricNameFilter.named(ExposureMetrics.NAMESPACE, name));
  }

  /** The gauge's newest value over all steps; null when it was never set. */
  static Long gauge(PipelineResult result, String name) {
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ExposureMetrics.NAMESPACE, name)).build());
    GaugeResult newest = null;
    for (MetricResult<GaugeResult> g : q.getGauges()) {
      if (newest == null || g.getAttempted().getTimestamp().isAfter(newest.getTimestamp())) {
        newest = g.getAttempted();
      }
    }
    return newest == null ? null : newest.getValue();
  }

  private static long total(PipelineResult result, MetricNameFilter counter) {
    MetricQueryResults q =
        result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(counter).build());
    long total = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
