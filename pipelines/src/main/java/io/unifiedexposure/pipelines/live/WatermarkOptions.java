package io.unifiedexposure.pipelines.live;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The live watermark's bound: the live job sets it, reconcile measures lateness by it. */
public interface WatermarkOptions extends PipelineOptions {
  @Description("Watermark = largest event time seen minus this bound (ISO-8601); for reconcile, the live job's.")
  @Default.String("PT10S")
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);
}
