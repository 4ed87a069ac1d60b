package io.unifiedexposure.graph.rules;

import io.unifiedexposure.graph.ExposureMetrics;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;

/**
 * One of the graph's counters ({@link ExposureMetrics}) for events met once per record: counted as
 * the records pass and reported to Beam when the bundle ends ({@link #flush}, called from each
 * step's {@code @FinishBundle}). Beam looks up the step's metrics container for every report (a
 * thread-local and a map lookup), which per record is a visible share of reading and deduplicating
 * it. Totals are the same once the bundle is done, which is when Beam commits a
 * bundle's metrics anyway.
 */
public final class BundleCounter implements Serializable {
  private final Counter counter;
  private transient long pending;

  public BundleCounter(String name) {
    this.counter = ExposureMetrics.counter(name);
  }

  public void inc() {
    pending++;
  }

  public void dec() {
    pending--;
  }

  /** Reports what was counted since the last flush. */
  public void flush() {
    if (pending != 0) {
      counter.inc(pending);
      pending = 0;
    }
  }
}
