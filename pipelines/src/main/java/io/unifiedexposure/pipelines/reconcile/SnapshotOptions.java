package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.pipelines.live.KafkaOptions;
import io.unifiedexposure.pipelines.live.TopicOptions;
import io.unifiedexposure.pipelines.storage.StorageOptions;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code exposure snapshot}: the projections topic's newest rows, written to Parquet. */
public interface SnapshotOptions extends KafkaOptions, TopicOptions, StorageOptions {
  @Description("Directory the snapshot is written to (local or s3://): one Parquet file of projection rows,"
      + " reconcile's --live=<dir>. A directory that already holds Parquet files is refused.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);
}
