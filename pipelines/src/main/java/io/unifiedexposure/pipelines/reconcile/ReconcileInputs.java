package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.pipelines.format.ConvertedRecords;
import io.unifiedexposure.pipelines.format.CurrentRecords;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.format.KafkaCoordinate;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.live.KafkaSettings;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Reads what reconcile compares and the evidence it explains drift with, from Kafka and Parquet. */
final class ReconcileInputs {
  /** Missing offsets looked up one by one in the input topic at most; the rest are reported as ranges. */
  private static final long MAX_GAP_LOOKUPS = 10_000;

  private final ReconcileOptions options;
  private final Map<String, Object> kafka;

  ReconcileInputs(ReconcileOptions options) {
    this.options = options;
    this.kafka = KafkaSettings.clientConfig(options);
  }

  LivePanes livePanes() throws IOException {
    try {
      return LivePanes.read(options.getLive(), kafka, options.getBootstrapServers(), options.getProjectionsTopic());
    } catch (KafkaException e) {
      throw unreachable(options.getProjectionsTopic(), e);
    }
  }

  List<ProjectionRow> replayRows() throws IOException {
    return ReadBack.parquetRows(StoredFiles.resolve(options.getReplay(), "projections")).stream()
        .map(ProjectionRecords::fromAvro)
        .collect(Collectors.toList());
  }

  /**
   * Live's converted rows, every pane: from {@code --convertedTopic} when {@code --live=kafka}; null
   * when there are none to compare ({@link #noLiveConvertedReason}).
   */
  @Nullable List<ConvertedRow> liveConvertedRows() {
    return liveRows(options.getConvertedTopic(), ConvertedRecords::fromJson);
  }

  /** A live output topic's rows, every one, when {@code --live=kafka} and the topic exists; else null. */
  private <T> @Nullable List<T> liveRows(String topic, java.util.function.Function<String, T> fromJson) {
    if (!options.getLive().equals("kafka")) {
      return null;
    }
    try {
      return ReadBack.topic(kafka, options.getBootstrapServers(), topic).stream()
          .map(r -> fromJson.apply(r.value()))
          .collect(Collectors.toList());
    } catch (IllegalArgumentException noTopic) {
      return null;
    } catch (KafkaException e) {
      throw unreachable(topic, e);
    }
  }

  String noLiveConvertedReason() {
    return options.getLive().equals("kafka")
        ? "no topic '" + options.getConvertedTopic() + "' (--convertedTopic) at " + options.getBootstrapServers()
        : "a snapshot holds the projections only";
  }

  /**
   * Live's current rows: from {@code --currentTopic} when {@code --live=kafka}; null when there are
   * none to compare (no such topic, or a snapshot).
   */
  @Nullable List<CurrentRow> liveCurrentRows() {
    return liveRows(options.getCurrentTopic(), CurrentRecords::fromJson);
  }

  String noLiveCurrentReason() {
    return options.getLive().equals("kafka")
        ? "no topic '" + options.getCurrentTopic() + "' (--currentTopic) at " + options.getBootstrapServers()
        : "a snapshot holds the projections only";
  }

  /** The replay's current rows; empty when it wrote none. */
  List<CurrentRow> replayCurrentRows() throws IOException {
    return ReadBack.parquetRows(StoredFiles.resolve(options.getReplay(), "current")).stream()
        .map(CurrentRecords::fromAvro)
        .collect(Collectors.toList());
  }

  /** The replay's converted rows; empty when it wrote none. */
  List<ConvertedRow> replayConvertedRows() throws IOException {
    return ReadBack.parquetRows(StoredFiles.resolve(options.getReplay(), "converted")).stream()
        .map(ConvertedRecords::fromAvro)
        .collect(Collectors.toList());
  }

  /**
   * Evidence from the replay's dead letters, and from Kafka when allowed: beyond lateness, dead
   * letters, archive gaps. The archive is read once, for both the gaps and the {@code clock}'s
   * event and receipt times (when there is a clock to feed).
   */
  void evidence(EvidenceSources sources, LateFxRates lateRates, String archive, @Nullable DataClock clock)
      throws IOException {
    for (GenericRecord g : ReadBack.parquetRows(StoredFiles.resolve(options.getReplay(), "dead-letter"))) {
      sources.deadLetter(
          DeadLetterRecords.payloadTextOf(g), DeadLetterRecords.codesOf(g), g.get("source").toString());
    }
    ArchiveGaps gaps = options.getKafkaEvidence() ? new ArchiveGaps() : null;
    if (gaps != null) {
      topic(options.getBeyondLatenessTopic()).forEach(r -> sources.beyondLateness(r.value()));
      for (ConsumerRecord<String, String> r : topic(options.getDeadLetterTopic())) {
        var n = Json.parse(r.value());
        List<String> codes = new ArrayList<>();
        n.path("reasons").forEach(c -> codes.add(c.path("code").asText()));
        String source = n.path("source").asText("?");
        if (!lateRates.offer(n.path("payload").asText(""), codes, source)) {
          sources.deadLetter(n.path("payload").asText(""), codes, source);
        }
        seenInInput(gaps, source);
      }
    }
    if (archive != null && (gaps != null || clock != null)) {
      readArchive(archive, gaps, clock);
      if (gaps != null) {
        lookUpGaps(gaps, sources);
      }
    }
  }

  /** The archive's sources into {@code gaps}, its event and receipt times into {@code clock}. */
  private void readArchive(String archive, @Nullable ArchiveGaps gaps, @Nullable DataClock clock) throws IOException {
    ArchiveRecords.Layout[] layout = new ArchiveRecords.Layout[1];
    ReadBack.eachParquetRow(archive, row -> {
      if (gaps != null && row.getSchema().getField(ArchiveRecords.SOURCE) != null) {
        Object source = row.get(ArchiveRecords.SOURCE);
        if (source != null) {
          seenInInput(gaps, source.toString());
        }
      }
      if (clock != null) {
        if (layout[0] == null || !layout[0].describes(row.getSchema())) {
          layout[0] = ArchiveRecords.layout(row.getSchema());
        }
        Long eventTime = layout[0].eventTimeMillis(row);
        Long receivedAt = layout[0].receivedAtMillis(row);
        String merchant = layout[0].merchantId(row);
        String currency = layout[0].currency(row);
        if (eventTime != null && receivedAt != null && merchant != null && currency != null) {
          clock.record(eventTime, receivedAt, merchant, currency);
        }
      }
    });
  }

  private void seenInInput(ArchiveGaps gaps, String source) {
    KafkaCoordinate.parse(source)
        .filter(k -> k.topic.equals(options.getInputTopic()))
        .ifPresent(k -> gaps.seen(k.partition, k.offset));
  }

  /** Reads the input records at the missing offsets, so each gap names the windows it hurt. */
  private void lookUpGaps(ArchiveGaps gaps, EvidenceSources sources) {
    String topic = options.getInputTopic();
    try {
      lookUpGaps(gaps, sources, topic);
    } catch (KafkaException e) {
      throw unreachable(topic, e);
    }
  }

  private void lookUpGaps(ArchiveGaps gaps, EvidenceSources sources, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = ReadBack.consumer(
        kafka, options.getBootstrapServers(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toList());
      Map<Integer, Long> first =
          c.beginningOffsets(parts).entrySet().stream()
              .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
      long lookups = 0;
      for (ArchiveGaps.Gap gap : gaps.find(first)) {
        if (lookups + gap.size() > MAX_GAP_LOOKUPS) {
          sources.unplacedGap(topic + " " + gap);
          continue;
        }
        lookups += gap.size();
        TopicPartition tp = new TopicPartition(topic, gap.partition);
        c.assign(List.of(tp));
        c.seek(tp, gap.from);
        long found = 0;
        for (int polls = 0; polls < 20 && c.position(tp) < gap.to; polls++) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
            if (r.offset() < gap.to) {
              sources.archiveGap(new KafkaCoordinate(topic, r.partition(), r.offset()).toString(), r.value());
              found++;
            }
          }
        }
        if (found < gap.size()) {
          sources.unplacedGap(topic + " " + gap + " (" + (gap.size() - found) + " no longer readable)");
        }
      }
    }
  }

  private List<ConsumerRecord<String, String>> topic(String topic) {
    try {
      return ReadBack.topic(kafka, options.getBootstrapServers(), topic);
    } catch (KafkaException e) {
      throw unreachable(topic, e);
    }
  }

  /** A clear error instead of a client stack trace when Kafka cannot be read. */
  private IllegalArgumentException unreachable(String topic, KafkaException e) {
    return new IllegalArgumentException(
        "cannot read topic '" + topic + "' from Kafka at " + options.getBootstrapServers() + ": "
            + e.getMessage() + (options.getLive().equals("kafka") ? ""
                : "; to reconcile a --live snapshot without Kafka, pass --kafkaEvidence=false"),
        e);
  }
}
