package io.unifiedexposure.pipelines.live;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The live job's topics: what it reads, and where its three outputs go. Reconcile reads them too. */
public interface TopicOptions extends PipelineOptions {
  @Description("Topic of JSON events (the event contract's wire form).")
  @Default.String("exposure-events")
  String getInputTopic();

  void setInputTopic(String value);

  @Description("Topic the projection rows go to (key merchant_id|currency|window_start; compactable).")
  @Default.String("exposure-projections")
  String getProjectionsTopic();

  void setProjectionsTopic(String value);

  @Description("Topic the dead letters go to (payload, reasons, source topic/partition/offset).")
  @Default.String("exposure-dead-letters")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description("Topic the facts that came after their window closed go to, tagged with the window.")
  @Default.String("exposure-beyond-lateness")
  String getBeyondLatenessTopic();

  void setBeyondLatenessTopic(String value);
}
