package io.unifiedexposure.pipelines;

import io.unifiedexposure.pipelines.storage.BeamInputFile;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;

/** Reads what a job wrote, outside Beam: a whole Kafka topic, or every Parquet row under a directory. */
public final class ReadBack {
  private ReadBack() {}

  /** Every record of a topic, from the beginning to its current end, in partition order. */
  public static List<ConsumerRecord<String, String>> topic(String bootstrapServers, String topic) {
    return topic(Map.of(), bootstrapServers, topic);
  }

  /** The same, with Kafka client settings (security, TLS, ...) applied first. */
  public static List<ConsumerRecord<String, String>> topic(
      Map<String, Object> clientConfig, String bootstrapServers, String topic) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        consumer(clientConfig, bootstrapServers, new StringDeserializer(), new StringDeserializer())) {
      List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + bootstrapServers);
      }
      List<TopicPartition> parts =
          infos.stream().map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * A consumer that reads without a group commit: the client settings first, then the bootstrap
   * servers. The caller assigns partitions.
   */
  public static <K, V> KafkaConsumer<K, V> consumer(
      Map<String, Object> clientConfig, String bootstrapServers, Deserializer<K> keys, Deserializer<V> values) {
    Properties p = new Properties();
    p.putAll(clientConfig);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // The live job's exactly-once sinks write in transactions: only committed records count.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(p, keys, values);
  }

  /** Each row of every {@code *.parquet} file below a directory, in turn, none held (none when it does not exist). */
  public static void eachParquetRow(String dir, Consumer<GenericRecord> each) throws IOException {
    Configuration conf = new Configuration();
    for (MatchResult.Metadata f : StoredFiles.parquetFiles(dir)) {
      try (ParquetReader<GenericRecord> r = reader(f, conf)) {
        for (GenericRecord g = r.read(); g != null; g = r.read()) {
          each.accept(g);
        }
      }
    }
  }

  /** Every row of every {@code *.parquet} file below a directory (none when it does not exist). */
  public static List<GenericRecord> parquetRows(String dir) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    Configuration conf = new Configuration();
    for (MatchResult.Metadata f : StoredFiles.parquetFiles(dir)) {
      try (ParquetReader<GenericRecord> r = reader(f, conf)) {
        for (GenericRecord g = r.read(); g != null; g = r.read()) {
          rows.add(g);
        }
      }
    }
    return rows;
  }

  /** {@link #parquetRows(String)} of a local directory. */
  public static List<GenericRecord> parquetRows(Path dir) throws IOException {
    return parquetRows(dir.toString());
  }

  /** How many rows the {@code *.parquet} files below a directory hold, from their footers alone. */
  public static long parquetRowCount(String dir) throws IOException {
    long count = 0;
    for (MatchResult.Metadata f : StoredFiles.parquetFiles(dir)) {
      try (ParquetFileReader r = ParquetFileReader.open(new BeamInputFile(f))) {
        count += r.getRecordCount();
      }
    }
    return count;
  }

  private static ParquetReader<GenericRecord> reader(MatchResult.Metadata f, Configuration conf) throws IOException {
    // Spark's legacy INT96 timestamps as 12-byte fixed values, as the archive reader takes them
    // (parquet-avro refuses such a file otherwise): reconcile reads foreign archives too.
    conf.setBoolean("parquet.avro.readInt96AsFixed", true);
    return AvroParquetReader.<GenericRecord>builder(new BeamInputFile(f))
        .withDataModel(GenericData.get())
        .withConf(conf)
        .build();
  }
}
