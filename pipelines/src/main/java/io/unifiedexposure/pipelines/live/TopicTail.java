package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.pipelines.ReadBack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest event time in a whole topic, read from the last few records of every partition: what
 * an idle partition follows when its source reader has no busy partition of its own to follow
 * ({@link EventTimePolicy}). A runner gives each reader a share of the partitions, so without this a
 * reader whose partitions are all silent (say, an input partition no merchant hashes to) would hold
 * the pipeline's watermark at the start of time.
 *
 * <p>It reads with its own consumer, by assignment, outside any consumer group and without
 * committing, so it does not disturb the job's offsets. A topic it cannot read is logged once (topic
 * and brokers only, no client settings) and known as "nothing newer".
 */
final class TopicTail implements EventTimePolicy.NewestEventTime {
  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
  /** Records read from the end of each partition; the newest event time among them counts. */
  static final int TAIL = 16;
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final String bootstrapServers;
  private final String topic;
  private final Map<String, Object> clientConfig;
  private transient boolean warned;

  /**
   * @param clientConfig the job's Kafka client settings (security etc.); group and offset settings
   *     are dropped
   */
  TopicTail(String bootstrapServers, String topic, Map<String, Object> clientConfig) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.clientConfig = new HashMap<>(clientConfig);
    this.clientConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.clientConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Override
  public long newest() {
    KafkaConsumer<byte[], byte[]> consumer = null;
    try {
      consumer = ReadBack.consumer(
          clientConfig, bootstrapServers, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      return newest(consumer);
    } catch (RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.warn("Cannot read the newest event time of topic {} at {}: {}", topic,
            bootstrapServers, e.toString());
      }
      return Long.MIN_VALUE;
    } finally {
      // Not the default close, which may wait 30 s to end fetch sessions: a probe is due again
      // within 1-10 s. (When probes ran on the source reader's thread, a LiveSpec run had every
      // DirectRunner worker stuck here or waiting behind it; they now run on their own thread.)
      if (consumer != null) {
        consumer.close(Duration.ZERO);
      }
    }
  }

  private long newest(KafkaConsumer<byte[], byte[]> consumer) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic, DEADLINE)) {
      partitions.add(new TopicPartition(topic, p.partition()));
    }
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, DEADLINE);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, DEADLINE);
    Set<TopicPartition> unread = new HashSet<>();
    for (TopicPartition tp : partitions) {
      if (end.get(tp) > begin.get(tp)) {
        consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - TAIL));
        unread.add(tp);
      } else {
        consumer.pause(List.of(tp));
      }
    }
    long newest = Long.MIN_VALUE;
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!unread.isEmpty() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        Long t = EventTimePolicy.eventTimeOf(r.value());
        if (t != null) {
          newest = Math.max(newest, t);
        }
      }
      unread.removeIf(tp -> consumer.position(tp) >= end.get(tp));
    }
    return newest;
  }
}
