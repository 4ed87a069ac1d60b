package io.unifiedexposure.pipelines.storage;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 clients Beam's file system makes for the launchers: Beam's default client (region,
 * endpoint, credentials and HTTP settings from its options), addressed by path when {@link
 * StorageOptions#getS3PathStyleAccess()} says so. Named by {@code --s3ClientFactoryClass}, which
 * the launchers set ({@link io.unifiedexposure.pipelines.RunnerDefaults}); Flink workers build
 * their own clients from the same options.
 */
public final class S3Clients implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory()
        .createBuilder(options)
        .forcePathStyle(options.as(StorageOptions.class).getS3PathStyleAccess());
  }
}
