package io.unifiedexposure.tools.bench;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.IsoDurations;
import io.unifiedexposure.pipelines.Percentiles;
import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.RunnerDefaults;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.live.LiveExposure;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.live.LiveRun;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Instant;

/**
 * The live part of the benchmark on an embedded broker: the same records through a bare
 * KafkaConsumer and through the live job (projections, dead letters and the archive included), then
 * the early-pane latency: new facts, each opening a window of its own, sent at half the live rate
 * (at most 1,000/s); latency is from sending a fact to seeing its first pane on the projections topic.
 */
final class LiveBench {
  private final BenchOptions options;
  private final ExposureGraph graph;
  private final Path work;
  private final PrintStream out;

  LiveBench(BenchOptions options, ExposureGraph graph, Path work, PrintStream out) {
    this.options = options;
    this.graph = graph;
    this.work = work;
    this.out = out;
  }

  void run() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
      LiveOptions live = liveOptions(kafka);
      kafka.createTopics(Map.of(live.getInputTopic(), 2, live.getProjectionsTopic(), 1, live.getDeadLetterTopic(), 1,
          live.getBeyondLatenessTopic(), 1));
      BenchData data = new BenchData(options.getLiveEvents(), 100, options.getDays(), 0.05, options.getDataSeed());
      long t = System.nanoTime();
      List<ExposureEvent> history = new ArrayList<>();
      for (int j = 0; j < data.records; j++) {
        history.add(data.record(j));
      }
      send(kafka, live.getInputTopic(), history);
      out.printf("%nlive, %s, embedded broker: %,d records (100 merchants) produced in %.1f s%n",
          options.getLiveRunner(), data.records, Bench.secondsSince(t));

      t = System.nanoTime();
      long consumed = bareConsume(kafka, live.getInputTopic());
      double bareRate = consumed / Bench.secondsSince(t);
      out.printf("  %-34s %,12.0f events/s%n", "bare KafkaConsumer", bareRate);

      PipelineResult job = LiveExposure.create(live).run();
      try {
        double secs = LiveRun.awaitTakenIn(job, kafka.bootstrapServers(), live, data.records);
        double rate = data.records / secs;
        out.printf("  %-34s %,12.0f events/s   live/raw %.3f (%.1f s, job start included)%n",
            "live job on " + options.getLiveRunner(), rate, rate / bareRate, secs);
        int fixed = options.getLatencyRate();
        latency(kafka, live, fixed > 0 ? fixed : Math.min(1000, Math.max(1, rate / 2)));
      } finally {
        job.cancel();
      }
    }
  }

  private LiveOptions liveOptions(EmbeddedKafka kafka) {
    LiveOptions live = PipelineOptionsFactory.fromArgs("--runner=" + options.getLiveRunner()).as(LiveOptions.class);
    Bench.copyGraphSettings(options, live);
    live.setBootstrapServers(kafka.bootstrapServers());
    live.setArchive(work.resolve("archive").toString());
    live.setArchiveFlushInterval("PT10S");
    live.setIdleTimeout("PT5S");
    live.setStreaming(true);
    live.setExactlyOnceOutput(options.getLiveExactlyOnce());
    live.setPublishAfterCheckpoint(options.getLivePublishAfterCheckpoint());
    if (options.getLiveRunner().startsWith("Flink")) {
      FlinkPipelineOptions flink = live.as(FlinkPipelineOptions.class);
      flink.setFlinkMaster("[local]");
      // Measured as `exposure live` runs it, not at the demo's 2 s (configureRunner).
      if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() <= 0) {
        flink.setCheckpointingInterval(RunnerDefaults.LIVE_CHECKPOINT_MILLIS);
      }
    }
    LiveRun.configureRunner(live);
    return live;
  }

  /**
   * Sends facts for new merchants at {@code rate} per second for the configured seconds, each in
   * the last day of the history (a window still open), and times its first pane.
   */
  private void latency(EmbeddedKafka kafka, LiveOptions live, double rate) throws Exception {
    long earlyDelay = IsoDurations.parse("earlyFiringDelay", live.getEarlyFiringDelay()).getMillis();
    long lastDay = graph.grid().windowStart(Instant.parse("2025-06-01T00:00:00Z").getMillis()
        + (options.getDays() - 1) * 86_400_000L);
    int count = (int) Math.max(1, rate * options.getLatencySeconds());
    Map<String, Long> sentAt = new HashMap<>();
    Map<String, Long> seenAt = new HashMap<>();
    try (KafkaConsumer<String, String> panes = consumer(kafka, new StringDeserializer());
        KafkaProducer<String, byte[]> producer = producer(kafka)) {
      TopicPartition tp = new TopicPartition(live.getProjectionsTopic(), 0);
      panes.assign(List.of(tp));
      panes.seekToEnd(List.of(tp));
      panes.position(tp);
      long start = System.currentTimeMillis();
      for (int i = 0; i < count; i++) {
        long due = start + (long) (i * 1000 / rate);
        while (System.currentTimeMillis() < due) {
          poll(panes, seenAt, Duration.ofMillis(Math.max(1, due - System.currentTimeMillis())));
        }
        String merchant = "lat-" + i;
        ExposureEvent e = ExposureEvent.builder().setEventId("lat-" + i).setMerchantId(merchant)
            .setEventType(EventType.CAPTURE).setAmountMinor(1).setCurrency("EUR")
            .setEventTime(new Instant(lastDay + 3_600_000L)).setCorrectsEventId(null).setSchemaVersion(1).build();
        sentAt.put(merchant, System.currentTimeMillis());
        Publish.one(producer, new ProducerRecord<>(live.getInputTopic(), merchant, EventEncoder.toJsonBytes(e)));
      }
      long deadline = System.currentTimeMillis() + earlyDelay + 60_000;
      while (seenAt.keySet().containsAll(sentAt.keySet()) == false && System.currentTimeMillis() < deadline) {
        poll(panes, seenAt, Duration.ofMillis(200));
      }
    }
    List<Long> latencies = sentAt.entrySet().stream().filter(e -> seenAt.containsKey(e.getKey()))
        .map(e -> seenAt.get(e.getKey()) - e.getValue()).sorted().collect(Collectors.toList());
    out.printf("  early-pane latency at %.0f facts/s for %d s: p50 %s ms, p99 %s ms (target <= early delay %d ms + 3000);"
            + " %d of %d panes seen%n",
        rate, options.getLatencySeconds(), percentile(latencies, 50), percentile(latencies, 99), earlyDelay,
        latencies.size(), sentAt.size());
  }

  private static void poll(KafkaConsumer<String, String> panes, Map<String, Long> seenAt, Duration wait) {
    for (ConsumerRecord<String, String> r : panes.poll(wait)) {
      String merchant = Json.parse(r.value()).path("merchant_id").asText();
      seenAt.putIfAbsent(merchant, System.currentTimeMillis());
    }
  }

  private static String percentile(List<Long> values, int p) {
    Long v = Percentiles.nearestRank(values, p);
    return v == null ? "n/a" : String.format("%,d", v);
  }

  private static void send(EmbeddedKafka kafka, String topic, List<ExposureEvent> events) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
    for (ExposureEvent e : events) {
      records.add(new ProducerRecord<>(topic, e.merchantId(), EventEncoder.toJsonBytes(e)));
    }
    try (KafkaProducer<String, byte[]> p = producer(kafka)) {
      Publish.all(p, records);
    }
  }

  private static long bareConsume(EmbeddedKafka kafka, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(kafka, new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long n = 0;
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        n += c.poll(Duration.ofMillis(500)).count();
      }
      return n;
    }
  }

  private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    cfg.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    cfg.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer());
  }

  private static <V> KafkaConsumer<V, V> consumer(EmbeddedKafka kafka, Deserializer<V> deserializer) {
    return ReadBack.consumer(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), kafka.bootstrapServers(),
        deserializer, deserializer);
  }
}
