package io.unifiedexposure.pipelines.storage;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where paths may live besides the local disk: {@code s3://bucket/key} through Beam's S3 file
 * system. Its own flags set the rest: {@code --awsRegion}, {@code --endpoint} (an S3-compatible
 * server) and {@code --awsCredentialsProvider}; credentials otherwise come from the standard AWS
 * chain (environment, system properties, profile, instance role).
 */
public interface StorageOptions extends PipelineOptions {
  @Description("Address S3 buckets by path (endpoint/bucket/key) rather than by host name"
      + " (bucket.endpoint/key): what S3-compatible servers (MinIO, Ceph, s3proxy) reached by"
      + " --endpoint usually need.")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean value);
}
