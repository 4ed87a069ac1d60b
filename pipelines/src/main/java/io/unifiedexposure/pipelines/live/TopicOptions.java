package io.unifiedexposure.pipelines.live;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The live job's topics: what it reads, and where its outputs go. Reconcile reads them too. */
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

  @Description("Topic of FX rate versions (fx_rate_v1 JSON; compacted, keyed currency|reporting_currency|day|version),"
      + " e.g. exposure-fx-rates; created compacted when missing. None by default: then no rate is read and every"
      + " converted row lists its foreign currencies as missing a rate.")
  String getFxRatesTopic();

  void setFxRatesTopic(String value);

  @Description("Topic the converted rows go to (key merchant_id|window_start; compactable).")
  @Default.String("exposure-converted")
  String getConvertedTopic();

  void setConvertedTopic(String value);

  @Description("Topic of merchant limit versions (merchant_limit_v1 JSON; compacted, keyed"
      + " merchant_id|effective_from|version), e.g. exposure-merchant-limits; created compacted when missing. None by"
      + " default: then no limit is read and current rows carry no limit.")
  String getLimitsTopic();

  void setLimitsTopic(String value);

  @Description("Topic the current exposure rows go to (merchant_exposure_current: key merchant_id, the rows of each"
      + " merchant's newest day; created compacted when missing).")
  @Default.String("exposure-current")
  String getCurrentTopic();

  void setCurrentTopic(String value);
}
