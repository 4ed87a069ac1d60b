package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.pipelines.ReferenceOptions;

import io.unifiedexposure.graph.ExposureOptions;
import io.unifiedexposure.pipelines.MonitoringOptions;
import io.unifiedexposure.pipelines.storage.StorageOptions;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** The replay / backfill launcher: Parquet archives in, Parquet projections and dead letters out. */
public interface ReplayOptions extends ExposureOptions, MonitoringOptions, StorageOptions, ReferenceOptions {
  @Description(
      "The archive: a directory (every *.parquet below it, Hive-style dt=YYYY-MM-DD/ folders allowed) "
          + "or a glob such as /data/archive/dt=2025-07-*/*.parquet.")
  @Validation.Required
  String getArchive();

  void setArchive(String value);

  @Description("Output directory: projections/, converted/ and dead-letter/ are written below it; it must not hold a replay yet.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Backfill start in event time, inclusive: a date (2025-07-01, UTC) or an instant "
          + "(2025-07-01T06:00:00Z). Widened to the start of its window.")
  String getFrom();

  void setFrom(String value);

  @Description("Backfill end in event time, exclusive: a date or an instant. Widened to the end of its window.")
  String getTo();

  void setTo(String value);

  @Description(
      "Replay as known at an instant (2025-07-08T14:02:00Z, or a date: its UTC midnight): only the facts, FX rates"
          + " and limits received by then count, and current/ holds each merchant's current row as of that day:"
          + " what risk saw then. Absent: everything the archive has.")
  String getAsOf();

  void setAsOf(String value);

  @Description("Only these merchants (comma-separated merchant_id list); all merchants when absent.")
  String getMerchants();

  void setMerchants(String value);
}
