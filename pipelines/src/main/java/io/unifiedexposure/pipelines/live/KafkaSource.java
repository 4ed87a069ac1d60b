package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.FactKind;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * JSON events from a Kafka topic as raw records: payload as received, source
 * {@code kafka:topic/partition@offset}, received at the Kafka record timestamp. Timestamps and the
 * watermark come from the events' own event_time ({@link EventTimePolicy}).
 */
final class KafkaSource extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String bootstrapServers;
  private final String topic;
  private final Map<String, Object> consumerConfig;
  private final TopicTail topicTail;
  private final Duration maxOutOfOrderness;
  private final Duration idleTimeout;
  private final FactKind kind;

  KafkaSource(
      String bootstrapServers,
      String topic,
      Map<String, Object> clientConfig,
      String consumerGroup,
      String startOffset,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      FactKind kind) {
    if (!"earliest".equals(startOffset) && !"latest".equals(startOffset)) {
      throw new IllegalArgumentException("--startOffset must be earliest or latest, was " + startOffset);
    }
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerConfig = new HashMap<>(clientConfig);
    this.topicTail = new TopicTail(bootstrapServers, topic, clientConfig);
    this.consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    this.consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startOffset);
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleTimeout = idleTimeout;
    this.kind = kind;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply(
            "ReadKafka",
            KafkaIO.<byte[], byte[]>read()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeyDeserializer(ByteArrayDeserializer.class)
                .withValueDeserializer(ByteArrayDeserializer.class)
                .withConsumerConfigUpdates(consumerConfig)
                .withTimestampPolicyFactory(timestamps())
                .commitOffsetsInFinalize())
        .apply("ToRawRecord", ParDo.of(new ToRawRecord(kind)))
        .setCoder(RawRecord.coder());
  }

  /**
   * Events: the event-time policy. Reference data carries no event time of its own that could hold
   * the job's watermark sensibly (a rate topic is silent most of the day): its reader follows the
   * processing clock, so the job's watermark is the events' (the smaller of the two), and the graph
   * judges each rate against it by the day it is for.
   */
  private TimestampPolicyFactory<byte[], byte[]> timestamps() {
    return kind == FactKind.EVENT
        ? new EventTimePolicy.Factory(maxOutOfOrderness, idleTimeout, topicTail)
        : TimestampPolicyFactory.withProcessingTime();
  }

  static final class ToRawRecord extends DoFn<KafkaRecord<byte[], byte[]>, RawRecord> {
    private static final byte[] EMPTY = new byte[0];
    private final FactKind kind;

    ToRawRecord(FactKind kind) {
      this.kind = kind;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> r, OutputReceiver<RawRecord> out) {
      byte[] value = r.getKV().getValue();
      out.output(
          RawRecord.ofKind(
              kind,
              value == null ? EMPTY : value,
              DeadLetterRecords.kafkaSource(r.getTopic(), r.getPartition(), r.getOffset()),
              r.getTimestamp()));
    }
  }
}
