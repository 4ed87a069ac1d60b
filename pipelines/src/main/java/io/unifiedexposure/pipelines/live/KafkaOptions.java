package io.unifiedexposure.pipelines.live;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How to reach Kafka. Client settings pass through untouched; secrets belong in the properties file. */
public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers, host:port[,host:port].")
  @Default.String("localhost:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "A Java properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, ...), "
          + "applied to the consumer and the producers. Put secrets here, not on the command line; "
          + "values are never logged.")
  String getKafkaProperties();

  void setKafkaProperties(String value);

  @Description("Extra Kafka client settings as key=value; repeat the flag for several.")
  List<String> getKafkaConfig();

  void setKafkaConfig(List<String> value);

  @Description("Consumer group; offsets are committed to it when Beam finalizes a checkpoint.")
  @Default.String("unified-exposure-live")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  @Description("How long a command waits to reach the broker before it gives up with one line (ISO-8601).")
  @Default.String("PT30S")
  String getBrokerTimeout();

  void setBrokerTimeout(String value);

  @Description("Where to start when the group has no committed offset: earliest or latest.")
  @Default.String("earliest")
  String getStartOffset();

  void setStartOffset(String value);
}
