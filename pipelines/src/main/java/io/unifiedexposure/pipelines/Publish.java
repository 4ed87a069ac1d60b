package io.unifiedexposure.pipelines;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes records to Kafka outside Beam (the demo's stream, repair rows, the bench's input) and
 * fails loudly when any of them is not acknowledged: a send whose result is never looked at can be
 * lost without a word.
 *
 * <p>Seen in a test run: an idempotent producer with several requests in flight had its first batch
 * to a just-created partition refused while its second batch was accepted; the broker, with no
 * sequence state for that producer yet, appended the second batch at offset 0, and the retried
 * first batch was then refused as out of order. 83 records never reached the topic, and the live
 * job waited for them for 10 minutes. {@link #inOrderConfig} keeps one request in flight, so a
 * batch is never sent before the previous one is acknowledged.
 */
public final class Publish {
  private Publish() {}

  /**
   * Producer settings for records that must arrive complete and in order: the client settings
   * (security, TLS, ...) first, then acknowledgement by all replicas, idempotence and one request in
   * flight.
   */
  public static Map<String, Object> inOrderConfig(Map<String, Object> clientConfig, String bootstrapServers) {
    Map<String, Object> cfg = new HashMap<>(clientConfig);
    cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    cfg.put(ProducerConfig.ACKS_CONFIG, "all");
    cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    cfg.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    return cfg;
  }

  /**
   * Sends every record, waits until each is acknowledged, and throws if any was not, naming the
   * topic, how many failed and the first error.
   */
  public static <K, V> void all(KafkaProducer<K, V> producer, List<ProducerRecord<K, V>> records) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
    for (ProducerRecord<K, V> r : records) {
      sent.add(producer.send(r));
    }
    producer.flush();
    acknowledged(records.get(0).topic(), sent);
  }

  /**
   * Waits until every record already sent to {@code topic} is acknowledged, and throws if any was
   * not, naming the topic, how many failed and the first error: for records sent one by one (at a
   * pace), checked together.
   */
  public static void acknowledged(String topic, List<Future<RecordMetadata>> sent) {
    int failed = 0;
    Throwable first = null;
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failed++;
        first = first == null ? e.getCause() : first;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge records", e);
      }
    }
    if (failed > 0) {
      throw new IllegalStateException(String.format("Kafka refused %d of %d record(s) sent to '%s': %s",
          failed, sent.size(), topic, first), first);
    }
  }

  /** Sends one record and waits until it is acknowledged (see {@link #all}). */
  public static <K, V> void one(KafkaProducer<K, V> producer, ProducerRecord<K, V> record) {
    all(producer, List.of(record));
  }
}
