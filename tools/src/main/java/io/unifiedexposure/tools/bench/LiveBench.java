package io.unifiedexposure.tools.bench;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.IsoDurations;
import io.unifiedexposure.pipelines.JobMetrics;
import io.unifiedexposure.pipelines.Percentiles;
import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.pipelines.ReadBack;
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
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Instant;

/**
 * The live part of the benchmark on an embedded broker, in steady state. {@code --liveEvents}
 * records are loaded into an 8-partition topic first; a bare KafkaConsumer and then the live job in
 * each of {@code --liveSetups} (runner, parallelism, state backend; checkpoints on) read them all,
 * each measured between 20% and 80% of the records ({@link SteadyRate}), so job start and the
 * drained tail are left out. Printed: each rate, its ratio to the bare consumer, and FlinkRunner's
 * scaling from parallelism 1 to 2, in records per second and in records per busy core. Then the
 * early-pane latency on {@code --latencySetup}: new facts, each opening a window of its own, at each
 * of {@code --latencyRates} per second; latency is from sending a fact to seeing its first pane on
 * the projections topic.
 */
final class LiveBench {
  private static final String INPUT = "bench-input";
  private static final int PARTITIONS = 8;

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
    List<LiveSetup> setups = new ArrayList<>();
    for (String s : options.getLiveSetups().split(",")) {
      if (!s.isBlank()) {
        setups.add(LiveSetup.parse(s));
      }
    }
    LiveSetup latencySetup = LiveSetup.parse(options.getLatencySetup());
    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
      kafka.createTopics(Map.of(INPUT, PARTITIONS));
      BenchData data = BenchData.arriving(options.getLiveEvents(), 100, options.getDays(), 0.05, options.getDataSeed());
      long t = System.nanoTime();
      send(kafka, INPUT, data);
      out.printf("%nlive, embedded broker: %,d records (100 merchants, %d days) loaded into %d partitions in %.1f s;"
              + " rates between 20%% and 80%% of them, checkpoints every %,d ms%n",
          data.records, options.getDays(), PARTITIONS, Bench.secondsSince(t), options.getLiveCheckpointMillis());

      SteadyRate.Span bare = bareConsume(kafka, data.records);
      out.printf("  %-34s %,12.0f events/s   (%s)%n", "bare KafkaConsumer", bare.rate(), bare);

      Map<String, SteadyRate.Span> spans = new HashMap<>();
      Map<String, Integer> runs = new HashMap<>();
      for (LiveSetup setup : setups) {
        Map<String, Long> books = new HashMap<>();
        // A setup listed twice runs twice (the machine's noise, seen in one run), each with topics of its own.
        int run = runs.merge(setup.id(), 1, Integer::sum);
        String name = "bench-" + setup.id() + (run == 1 ? "" : "-" + run);
        SteadyRate.Span span = steadyState(kafka, setup, name, data.records, books);
        if (span == null) {
          out.printf("  %-34s   no steady state within %d s%n", "live job, " + setup, options.getLiveSetupSeconds());
          continue;
        }
        spans.put(setup.id(), span);
        out.printf("  %-34s %,12.0f events/s   live/raw %.3f   (%s)%n",
            "live job, " + setup, span.rate(), span.rate() / bare.rate(), span);
        if (books.isEmpty()) {
          continue; // FlinkRunner reports counters only once a job ends
        }
        out.printf("  %-34s   by then: %,d facts counted, %,d duplicates, %,d late, %,d beyond lateness, %,d rows%n", "",
            books.getOrDefault(ExposureMetrics.FACTS_COUNTED, 0L), books.getOrDefault(ExposureMetrics.DUPLICATES, 0L),
            books.getOrDefault(ExposureMetrics.LATE, 0L), books.getOrDefault(ExposureMetrics.BEYOND_LATENESS, 0L),
            books.getOrDefault(ExposureMetrics.PROJECTION_ROWS, 0L));
      }
      for (String backend : List.of("heap", "rocksdb")) {
        SteadyRate.Span p1 = spans.get("flink-p1-" + backend);
        SteadyRate.Span p2 = spans.get("flink-p2-" + backend);
        if (p1 != null && p2 != null) {
          // Per busy core: what the second slot costs per record, whether or not the machine had a
          // core to give it (on 2 cores one slot already keeps most of both busy).
          out.printf("  %-34s %12.2fx   per busy core %.2fx%n", "FlinkRunner " + backend + " p=2 / p=1",
              p2.rate() / p1.rate(), p2.ratePerBusyCore() / p1.ratePerBusyCore());
        }
      }
      latency(kafka, latencySetup);
    }
  }

  /** Runs the live job in one setup over the loaded topic until 80% is taken in or its time is up. */
  private SteadyRate.Span steadyState(
      EmbeddedKafka kafka, LiveSetup setup, String name, long total, Map<String, Long> books) throws Exception {
    LiveOptions live = liveOptions(kafka, setup, INPUT, name);
    SteadyRate progress = new SteadyRate(total);
    PipelineResult job = LiveExposure.create(live).run();
    try (Admin admin = LiveRun.admin(kafka.bootstrapServers())) {
      while (!progress.done() && progress.secondsRunning() < options.getLiveSetupSeconds()) {
        long committed = LiveRun.committedRecords(admin, live.getConsumerGroup(), INPUT);
        progress.sample(setup.isFlink() ? committed : Math.max(committed, LiveRun.recordsIn(job)));
        Thread.sleep(100);
      }
      books.putAll(JobMetrics.counters(job));
    } finally {
      job.cancel();
    }
    return progress.span(options.getLiveSetupSeconds() / 3.0);
  }

  private LiveOptions liveOptions(EmbeddedKafka kafka, LiveSetup setup, String input, String name) {
    LiveOptions live = Bench.jobOptions(options, setup.runner, LiveOptions.class);
    if (setup.precombine != null) {
      live.setPrecombineInterval(setup.precombine);
    }
    live.setBootstrapServers(kafka.bootstrapServers());
    live.setInputTopic(input);
    live.setConsumerGroup(name);
    live.setProjectionsTopic(name + "-projections");
    live.setDeadLetterTopic(name + "-dead-letters");
    live.setBeyondLatenessTopic(name + "-beyond-lateness");
    live.setArchive(work.resolve(name).resolve("archive").toString());
    live.setArchiveFlushInterval("PT10S");
    live.setIdleTimeout("PT5S");
    live.setStreaming(true);
    live.setExactlyOnceOutput(options.getLiveExactlyOnce());
    live.setPublishAfterCheckpoint(options.getLivePublishAfterCheckpoint());
    if (setup.isFlink()) {
      FlinkPipelineOptions flink = live.as(FlinkPipelineOptions.class);
      flink.setFlinkMaster("[local]");
      flink.setParallelism(setup.parallelism);
      flink.setStateBackend(setup.flinkStateBackend());
      flink.setCheckpointingInterval(options.getLiveCheckpointMillis());
    } else {
      live.as(DirectOptions.class).setTargetParallelism(2);
    }
    LiveRun.configureRunner(live);
    kafka.createTopics(Map.of(live.getProjectionsTopic(), 1, live.getDeadLetterTopic(), 1,
        live.getBeyondLatenessTopic(), 1));
    return live;
  }

  /**
   * For each output mode of {@code --latencyOutputs} ({@code held}: after the checkpoint, the
   * default; {@code immediate}: {@code --publishAfterCheckpoint=false}), a fresh job on an empty
   * topic; once its first pane is out, facts for new merchants at each rate for {@code
   * --latencySeconds}, each in the last day of the history (a window still open), each timed to its
   * first pane.
   */
  private void latency(EmbeddedKafka kafka, LiveSetup setup) throws Exception {
    for (String mode : options.getLatencyOutputs().split(",")) {
      boolean held = mode.trim().equals("held");
      if (!held && !mode.trim().equals("immediate")) {
        throw new IllegalArgumentException("--latencyOutputs takes held and/or immediate, was '" + mode.trim() + "'");
      }
      String name = "bench-latency-" + setup.id() + "-" + mode.trim();
      kafka.createTopics(Map.of(name, PARTITIONS));
      LiveOptions live = liveOptions(kafka, setup, name, name);
      live.setPublishAfterCheckpoint(held);
      PipelineResult job = LiveExposure.create(live).run();
      try {
        latency(kafka, live, setup + ", outputs " + (held ? "after the checkpoint" : "at once"));
      } finally {
        job.cancel();
      }
    }
  }

  private void latency(EmbeddedKafka kafka, LiveOptions live, String label) throws Exception {
    long earlyDelay = IsoDurations.parse("earlyFiringDelay", live.getEarlyFiringDelay()).getMillis();
    long lastDay = graph.grid().windowStart(Instant.parse("2025-06-01T00:00:00Z").getMillis()
        + (options.getDays() - 1) * 86_400_000L);
    try (KafkaConsumer<String, String> panes = consumer(kafka, new StringDeserializer());
        KafkaProducer<String, byte[]> producer = producer(kafka)) {
      TopicPartition tp = new TopicPartition(live.getProjectionsTopic(), 0);
      panes.assign(List.of(tp));
      panes.seekToBeginning(List.of(tp));
      Probe warmUp = new Probe("warm-up", 1, lastDay);
      warmUp.send(producer, live.getInputTopic(), 0, panes);
      warmUp.await(panes, earlyDelay + 120_000);
      for (String r : options.getLatencyRates().split(",")) {
        int rate = Integer.parseInt(r.trim());
        Probe probe = new Probe("lat" + rate, rate * options.getLatencySeconds(), lastDay);
        probe.send(producer, live.getInputTopic(), rate, panes);
        probe.await(panes, earlyDelay + 60_000);
        List<Long> latencies = probe.latencies();
        out.printf("  early-pane latency, %s, %,d new windows/s for %d s: p50 %s ms, p99 %s ms"
                + " (target <= early delay %,d ms + 3,000); %d of %d panes seen%n",
            label, rate, options.getLatencySeconds(), percentile(latencies, 50), percentile(latencies, 99),
            earlyDelay, latencies.size(), probe.sentAt.size());
      }
    }
  }

  /** Facts for new merchants, one window each, and when each was sent and its first pane seen. */
  private static final class Probe {
    final String prefix;
    final int count;
    final long day;
    final Map<String, Long> sentAt = new HashMap<>();
    final Map<String, Long> seenAt = new HashMap<>();

    Probe(String prefix, int count, long day) {
      this.prefix = prefix;
      this.count = count;
      this.day = day;
    }

    /** Sends the facts, {@code rate} per second (0: at once), reading panes while it waits. */
    void send(KafkaProducer<String, byte[]> producer, String topic, int rate, KafkaConsumer<String, String> panes) {
      List<Future<RecordMetadata>> sent = new ArrayList<>(count);
      long start = System.currentTimeMillis();
      for (int i = 0; i < count; i++) {
        long due = rate == 0 ? 0 : start + (long) i * 1000 / rate;
        while (System.currentTimeMillis() < due) {
          poll(panes, Duration.ofMillis(Math.max(1, due - System.currentTimeMillis())));
        }
        String merchant = prefix + "-" + i;
        ExposureEvent e = ExposureEvent.builder().setEventId(merchant).setMerchantId(merchant)
            .setEventType(EventType.CAPTURE).setAmountMinor(1).setCurrency("EUR")
            .setEventTime(new Instant(day + 3_600_000L)).setCorrectsEventId(null).setSchemaVersion(1).build();
        sentAt.put(merchant, System.currentTimeMillis());
        sent.add(producer.send(new ProducerRecord<>(topic, merchant, EventEncoder.toJsonBytes(e))));
      }
      producer.flush();
      Publish.acknowledged(topic, sent);
    }

    void await(KafkaConsumer<String, String> panes, long maxMillis) {
      long deadline = System.currentTimeMillis() + maxMillis;
      while (!seenAt.keySet().containsAll(sentAt.keySet()) && System.currentTimeMillis() < deadline) {
        poll(panes, Duration.ofMillis(200));
      }
    }

    List<Long> latencies() {
      return sentAt.entrySet().stream().filter(e -> seenAt.containsKey(e.getKey()))
          .map(e -> seenAt.get(e.getKey()) - e.getValue()).sorted().collect(Collectors.toList());
    }

    private void poll(KafkaConsumer<String, String> panes, Duration wait) {
      for (ConsumerRecord<String, String> r : panes.poll(wait)) {
        String merchant = Json.parse(r.value()).path("merchant_id").asText();
        if (merchant.startsWith(prefix + "-")) {
          seenAt.putIfAbsent(merchant, System.currentTimeMillis());
        }
      }
    }
  }

  private static String percentile(List<Long> values, int p) {
    Long v = Percentiles.nearestRank(values, p);
    return v == null ? "n/a" : String.format("%,d", v);
  }

  private static void send(EmbeddedKafka kafka, String topic, BenchData data) {
    try (KafkaProducer<String, byte[]> p = producer(kafka)) {
      List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
      for (int j = 0; j < data.records; j++) {
        ExposureEvent e = data.record(j);
        batch.add(new ProducerRecord<>(topic, e.merchantId(), EventEncoder.toJsonBytes(e)));
        if (batch.size() == 100_000 || j == data.records - 1) {
          Publish.all(p, batch);
          batch.clear();
        }
      }
    }
  }

  /** A bare KafkaConsumer reading the whole loaded topic, measured as the live jobs are. */
  private static SteadyRate.Span bareConsume(EmbeddedKafka kafka, long total) {
    SteadyRate progress = new SteadyRate(total);
    try (KafkaConsumer<byte[], byte[]> c = consumer(kafka, new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(INPUT).stream()
          .map(i -> new TopicPartition(INPUT, i.partition())).collect(Collectors.toList());
      c.assign(parts);
      c.seekToBeginning(parts);
      long n = 0;
      while (n < total) {
        n += c.poll(Duration.ofMillis(500)).count();
        progress.sample(n);
      }
    }
    return progress.span(Double.MAX_VALUE);
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
