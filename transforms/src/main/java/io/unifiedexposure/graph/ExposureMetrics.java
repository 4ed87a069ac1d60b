package io.unifiedexposure.graph;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Names of the graph's Beam counters (namespace {@value #NAMESPACE}). Every record in ends in
 * exactly one of: counted (a fact in a projection), duplicate, dead letter (decode or conflict),
 * beyond lateness. So {@code records_in == facts_counted + duplicates + dead_letters + beyond_lateness}.
 */
public final class ExposureMetrics {
  public static final String NAMESPACE = "exposure";
  public static final String RECORDS_IN = "records_in";
  public static final String VALID = "valid";
  public static final String DEAD_LETTERS = "dead_letters";
  /** Prefix of the per-reason dead-letter counters: {@code dead_letter.<field>.<rule>}. */
  public static final String DEAD_LETTER_PREFIX = "dead_letter.";
  public static final String FACTS_COUNTED = "facts_counted";
  public static final String DUPLICATES = "duplicates_dropped";
  public static final String CONFLICTS = "conflicts";
  /** Facts counted although their window's on-time pane was already due (they make LATE panes). */
  public static final String LATE = "late";
  public static final String BEYOND_LATENESS = "beyond_lateness";
  /**
   * FX rate records in, and where each ended: refused as invalid, an identical copy dropped, a
   * version displaced by a higher one, a copy that lost a conflict, received after its day closed
   * (the refused, conflicting and late ones are also dead letters, with their reasons).
   */
  public static final String FX_RATES_IN = "fx_rates_in";
  public static final String FX_RATES_INVALID = "fx_rates_invalid";
  public static final String FX_RATES_DUPLICATES = "fx_rates_duplicates_dropped";
  public static final String FX_RATES_SUPERSEDED = "fx_rates_superseded";
  public static final String FX_RATES_CONFLICTS = "fx_rates_conflicts";
  public static final String FX_RATES_BEYOND_LATENESS = "fx_rates_beyond_lateness";
  /** Merchant limit records in, and where each ended, as for FX rates. */
  public static final String LIMITS_IN = "merchant_limits_in";
  public static final String LIMITS_INVALID = "merchant_limits_invalid";
  public static final String LIMITS_DUPLICATES = "merchant_limits_duplicates_dropped";
  public static final String LIMITS_SUPERSEDED = "merchant_limits_superseded";
  public static final String LIMITS_CONFLICTS = "merchant_limits_conflicts";
  public static final String LIMITS_BEYOND_LATENESS = "merchant_limits_beyond_lateness";
  /** Current exposure rows emitted (every merchant-day's panes). */
  public static final String CURRENT_ROWS = "current_rows";
  /** Converted rows published. */
  public static final String CONVERTED_ROWS = "converted_rows";
  /** First panes with no fact, not published (see {@link ToProjection}); no record is behind them. */
  public static final String EMPTY_PANES_DROPPED = "empty_panes_dropped";
  /** Projection rows the graph emitted (live: every pane's rows; replay: one per window). */
  public static final String PROJECTION_ROWS = "projection_rows";
  /** Distribution: processing time of an ON_TIME pane minus its window end, in ms (window latency). */
  public static final String ON_TIME_PANE_DELAY = "on_time_pane_delay_ms";
  /** Distribution: processing time of a window's final pane minus its window end, in ms. */
  public static final String FINAL_PANE_DELAY = "final_pane_delay_ms";
  /**
   * Gauge: at the newest ON_TIME pane, processing time minus window end, in ms: how far the
   * watermark trails the clock (freshness).
   */
  public static final String WATERMARK_LAG = "watermark_lag_ms";
  /**
   * Gauge: the end of the window the newest ON_TIME pane fired for, epoch ms: the watermark has
   * passed it (where a runner does not show its watermark, the heartbeat's lower bound of it).
   */
  public static final String WATERMARK_PASSED = "watermark_passed_ms";

  /**
   * Suffixes of the counters that carry each distribution as its sum and count: a metric reporter
   * that keeps only numbers (Flink's Prometheus reporter drops Beam's distributions) still gives
   * the mean over any interval ({@code rate(sum) / rate(count)}).
   */
  public static final String SUM = "_sum";

  public static final String COUNT = "_count";

  private ExposureMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  public static Distribution distribution(String name) {
    return Metrics.distribution(NAMESPACE, name);
  }

  public static Gauge gauge(String name) {
    return Metrics.gauge(NAMESPACE, name);
  }

  /** A distribution kept also as its {@link #SUM} and {@link #COUNT} counters. */
  public static Measured measured(String name) {
    return new Measured(name);
  }

  /** A distribution and its sum and count counters, updated together. */
  public static final class Measured implements java.io.Serializable {
    private final Distribution distribution;
    private final Counter sum;
    private final Counter count;

    private Measured(String name) {
      this.distribution = distribution(name);
      this.sum = counter(name + SUM);
      this.count = counter(name + COUNT);
    }

    public void update(long value) {
      distribution.update(value);
      sum.inc(value);
      count.inc();
    }
  }
}
