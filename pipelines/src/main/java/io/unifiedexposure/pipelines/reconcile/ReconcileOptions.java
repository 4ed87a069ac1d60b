package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.graph.ExposureOptions;
import io.unifiedexposure.pipelines.live.KafkaOptions;
import io.unifiedexposure.pipelines.live.TopicOptions;
import io.unifiedexposure.pipelines.live.WatermarkOptions;
import io.unifiedexposure.pipelines.storage.StorageOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Reconcile: live projections against a replay, with evidence, a report and a repair plan. */
public interface ReconcileOptions
    extends ExposureOptions, KafkaOptions, TopicOptions, StorageOptions, WatermarkOptions {
  @Description(
      "The live projections: 'kafka' reads --projectionsTopic from --bootstrapServers; otherwise a "
          + "directory of Parquet projection rows (a snapshot of the topic).")
  @Default.String("kafka")
  String getLive();

  void setLive(String value);

  @Description("The replay to compare with: the --output directory of an 'exposure replay' run.")
  @Validation.Required
  String getReplay();

  void setReplay(String value);

  @Description("The archive the replay read (default: the one named in the replay's _replay.json).")
  String getArchive();

  void setArchive(String value);

  @Description("Compare from this event time, inclusive (date or instant; default: the replay's range).")
  String getFrom();

  void setFrom(String value);

  @Description("Compare up to this event time, exclusive (date or instant; default: the replay's range).")
  String getTo();

  void setTo(String value);

  @Description("Compare only these merchants, comma-separated (default: the replay's merchants, or all).")
  String getMerchants();

  void setMerchants(String value);

  @Description(
      "Read evidence from Kafka: the beyond-lateness and dead-letter topics, and the input topic "
          + "for archive gaps. Set false when Kafka is out of reach.")
  @Default.Boolean(true)
  boolean getKafkaEvidence();

  void setKafkaEvidence(boolean value);

  @Description("Directory the report goes to: reconcile.json and reconcile.html.")
  @Default.String("reconcile-report")
  String getReport();

  void setReport(String value);

  @Description("Exit with code 3 when more windows than this drifted without an explanation.")
  @Default.Integer(0)
  int getMaxUnexplained();

  void setMaxUnexplained(int value);

  @Description(
      "Run the repair plan: each backfill launch, then publish the repaired rows to --projectionsTopic "
          + "at a pane_index above every live pane of their window.")
  @Default.Boolean(false)
  boolean getExecute();

  void setExecute(boolean value);

  @Description("Where --execute writes its backfill outputs (default: <report>/repairs).")
  String getRepairOutput();

  void setRepairOutput(String value);
}
