package io.unifiedexposure.graph;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The graph's settings, shared by every launcher. They reach the transform as plain values through
 * {@link ExposureGraph#fromOptions}, never as an options object.
 */
public interface ExposureOptions extends PipelineOptions {
  @Description("Event-time window size, ISO-8601 duration (UTC-aligned fixed windows), e.g. P1D or PT1H.")
  @Default.String("P1D")
  String getWindowSize();

  void setWindowSize(String value);

  @Description("How long after a window's end late data still updates it (ISO-8601 duration).")
  @Default.String("P3D")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  @Description("Processing-time delay after the first element of a pane before an early pane fires (ISO-8601).")
  @Default.String("PT30S")
  String getEarlyFiringDelay();

  void setEarlyFiringDelay(String value);

  @Description("Number of event_id shards the streaming dedup stage is keyed by (its parallelism ceiling);"
      + " bounded input always uses 16.")
  @Default.Integer(ExposureGraph.DEFAULT_DEDUP_SHARDS)
  int getDedupShards();

  void setDedupShards(int value);

  @Description("How long the streaming dedup sums a shard's facts per (merchant, currency, window) before"
      + " handing the sums to the windows (ISO-8601; PT0S hands on each fact at once). Adds up to this to"
      + " every pane's delay; fewer, summed elements make the window stage cheaper.")
  @Default.String("PT1S")
  String getPrecombineInterval();

  void setPrecombineInterval(String value);

  @Description("The currency each merchant's daily exposure is also published in, converted at each day's FX rate"
      + " (ISO-4217, e.g. EUR); none: no converted rows and no FX rates read. One-day windows only: with another"
      + " --windowSize there are no converted rows.")
  @Default.String(ExposureGraph.DEFAULT_REPORTING_CURRENCY)
  String getReportingCurrency();

  void setReportingCurrency(String value);

  @Description("Days of converted exposure a merchant's current exposure sums (merchant_exposure_current: the"
      + " day it is as of and the ones before it), beside the limit in force.")
  @Default.Integer(ExposureGraph.DEFAULT_CURRENT_DAYS)
  int getCurrentDays();

  void setCurrentDays(int value);
}
