package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.pipelines.ReferenceOptions;

import io.unifiedexposure.graph.ExposureOptions;
import io.unifiedexposure.pipelines.MonitoringOptions;
import io.unifiedexposure.pipelines.storage.StorageOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;

/** The live launcher: Kafka in; projections, dead letters and beyond-lateness facts out; an archive. */
public interface LiveOptions extends ExposureOptions, KafkaOptions, TopicOptions, StreamingOptions, MonitoringOptions, StorageOptions,
    WatermarkOptions, ReferenceOptions {
  @Description("Local directory (on a cluster: mounted on every TaskManager) the Parquet archive is written under, as dt=YYYY-MM-DD/.")
  @Validation.Required
  String getArchive();

  void setArchive(String value);

  @Description("Longest processing time before an archived record is in a visible file (ISO-8601).")
  @Default.String("PT1M")
  String getArchiveFlushInterval();

  void setArchiveFlushInterval(String value);

  @Description(
      "Publish projections, dead letters and beyond-lateness records exactly once, in Kafka "
          + "transactions released after each checkpoint (FlinkRunner; read them with "
          + "isolation.level=read_committed). Costs latency and throughput: one transaction per "
          + "output record. false (default): at least once, see --publishAfterCheckpoint.")
  @Default.Boolean(false)
  boolean getExactlyOnceOutput();

  void setExactlyOnceOutput(boolean value);

  @Description(
      "At least once (the default output): publish outputs only once a checkpoint holds the state "
          + "they came from (FlinkRunner), so a job restored from a checkpoint never publishes a "
          + "pane_index again with other content; a record may repeat, identical. Costs latency: up "
          + "to one checkpoint interval. false: publish as soon as produced; after a restore a "
          + "window may publish a pane_index again with other content.")
  @Default.Boolean(true)
  boolean getPublishAfterCheckpoint();

  void setPublishAfterCheckpoint(boolean value);

  @Description("A caught-up partition silent for this long stops holding the watermark back (ISO-8601).")
  @Default.String("PT1M")
  String getIdleTimeout();

  void setIdleTimeout(String value);

  @Description("While a job runs in this process (DirectRunner), print a heartbeat this often: records taken "
      + "in and their rate, facts counted, dead letters, beyond lateness, records behind on the input topic "
      + "(ISO-8601; PT0S: none). On FlinkRunner, JobWatch prints Flink's (--flinkConfDir=runners-config/flink).")
  @Default.String("PT1M")
  String getHeartbeatInterval();

  void setHeartbeatInterval(String value);
}
