package io.unifiedexposure.pipelines.explain;

import io.unifiedexposure.graph.ExposureOptions;
import io.unifiedexposure.pipelines.MonitoringOptions;
import io.unifiedexposure.pipelines.live.KafkaOptions;
import io.unifiedexposure.pipelines.live.TopicOptions;
import io.unifiedexposure.pipelines.storage.StorageOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Explain: one merchant's windows, fact by fact, from a targeted replay with the graph's lineage. */
public interface ExplainOptions
    extends ExposureOptions, KafkaOptions, TopicOptions, StorageOptions, MonitoringOptions {
  @Description("The archive to replay the slice from (as replay's --archive).")
  @Validation.Required
  String getArchive();

  void setArchive(String value);

  @Description("The merchant_id to explain.")
  @Validation.Required
  String getMerchant();

  void setMerchant(String value);

  @Description("Only this currency (default: every currency of the merchant).")
  String getCurrency();

  void setCurrency(String value);

  @Description("The window holding this date or instant (2025-07-02, UTC); or give --from and --to.")
  String getWindow();

  void setWindow(String value);

  @Description("Explain from this event time, inclusive (date or instant); with --to, instead of --window.")
  String getFrom();

  void setFrom(String value);

  @Description("Explain up to this event time, exclusive (date or instant).")
  String getTo();

  void setTo(String value);

  // The same default as reconcile's --live: Beam holds one definition of a flag across commands.
  @Description(
      "The live projections to show beside the answer: 'kafka' reads --projectionsTopic (and the "
          + "beyond-lateness and dead-letter topics) from --bootstrapServers; a directory is a Parquet "
          + "snapshot ('exposure snapshot'); 'none' shows the replay only.")
  @Default.String("kafka")
  String getLive();

  void setLive(String value);

  @Description(
      "Directory the explanation goes to: explain.json, explain.html and the replay it ran (replay/); "
          + "default explain-report.")
  String getOutput();

  void setOutput(String value);

  @Description("Facts listed per window on the console at most (explain.json and explain.html list all).")
  @Default.Integer(40)
  int getConsoleRows();

  void setConsoleRows(int value);
}
