package io.unifiedexposure.specs;

import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.TestFlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.TestPipeline;

/** The runners every graph spec runs on. */
enum SpecRunner {
  DIRECT,
  FLINK;

  /** A test pipeline on this runner; {@code streaming} for TestStream input. */
  TestPipeline pipeline(boolean streaming) {
    PipelineOptions options;
    if (this == DIRECT) {
      options = PipelineOptionsFactory.create();
      options.setRunner(DirectRunner.class);
    } else {
      FlinkPipelineOptions flink = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
      flink.setRunner(TestFlinkRunner.class);
      flink.setFlinkMaster("[local]");
      flink.setParallelism(1); // TestStream on Flink needs one task
      // Flink's DoFnOperator holds watermarks back while a bundle is open; with one element per
      // bundle, TestStream's elements and watermark steps reach every stage in the order written.
      flink.setMaxBundleSize(1L);
      options = flink;
    }
    options.as(StreamingOptions.class).setStreaming(streaming);
    return TestPipeline.fromOptions(options).enableAbandonedNodeEnforcement(false);
  }
}
