package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.pipelines.format.ConvertedRecords;
import io.unifiedexposure.pipelines.format.CurrentRecords;

import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.format.BeyondLatenessRecords;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The live outputs as JSON on Kafka topics; each record keyed so related records share a partition.
 *
 * <p>At least once, after the checkpoint (the default): each output passes {@link
 * ReleaseAfterCheckpoint} on its way to the writer, which FlinkRunner holds back until a checkpoint
 * holding the state the record came from completes. A job restored from its latest checkpoint has
 * therefore published nothing its restored state does not already account for: its pane numbers go
 * on from there, and a record published twice (held back in the checkpoint, then released again on
 * restore) is the same record. Without it, the rows a crashed job published after its last
 * checkpoint are computed again after the restore, batched otherwise, and can reuse a pane_index
 * with other content, which an upserting consumer would keep.
 *
 * <p>With a sink group, each topic is written exactly once: Beam's exactly-once Kafka sink numbers
 * the records of its one shard, writes them in Kafka transactions and keeps the next number in the
 * sink group's committed metadata, so records replayed after a restore are recognised and dropped.
 * On FlinkRunner its input is released only when a checkpoint completes, so a restored job never
 * publishes a row that the crashed one had not checkpointed: every window's rows reach a consumer
 * once, in pane order. Readers must use {@code isolation.level=read_committed}.
 */
final class KafkaSinks {
  private final String bootstrapServers;
  private final Map<String, Object> producerConfig;
  private final @Nullable String sinkGroup;
  private final boolean afterCheckpoint;

  KafkaSinks(
      String bootstrapServers, Map<String, Object> producerConfig, @Nullable String sinkGroup, boolean afterCheckpoint) {
    this.bootstrapServers = bootstrapServers;
    this.producerConfig = producerConfig;
    this.sinkGroup = sinkGroup;
    this.afterCheckpoint = afterCheckpoint;
  }

  void projections(PCollection<ProjectionRow> rows, String topic) {
    write(rows.apply("ProjectionToJson", ParDo.of(new ProjectionJson())), "Projections", topic);
  }

  void converted(PCollection<ConvertedRow> rows, String topic) {
    write(rows.apply("ConvertedToJson", ParDo.of(new ConvertedJson())), "Converted", topic);
  }

  /** The rows of each merchant's newest day, keyed by merchant: a compacted topic keeps each one's current row. */
  void current(PCollection<CurrentRow> rows, String topic) {
    write(rows.apply("CurrentToJson", ParDo.of(new CurrentJson())), "Current", topic);
  }

  void deadLetters(PCollection<DeadLetter> letters, String topic) {
    write(letters.apply("DeadLetterToJson", ParDo.of(new DeadLetterJson())), "DeadLetters", topic);
  }

  void beyondLateness(PCollection<BeyondLateness> facts, String topic) {
    write(facts.apply("BeyondLatenessToJson", ParDo.of(new BeyondJson())), "BeyondLateness", topic);
  }

  /**
   * Writes one output's records to its topic, in steps {@code <output>AfterCheckpoint} (when held)
   * and {@code Write<output>}: operator ids, kept stable.
   */
  private void write(PCollection<KV<String, String>> records, String output, String topic) {
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producerConfig);
    if (sinkGroup != null) {
      // One shard: one writer per topic, records in the order they were numbered.
      write = write.withEOS(1, sinkGroup + ".sink." + topic).withConsumerFactoryFn(new SinkGroupConsumer(producerConfig));
    }
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    PCollection<KV<String, String>> out = records.setCoder(coder);
    if (afterCheckpoint) {
      out = out.apply(output + "AfterCheckpoint", ParDo.of(new ReleaseAfterCheckpoint<>())).setCoder(coder);
    }
    out.apply("Write" + output, write);
  }

  /**
   * Passes records on unchanged. Its input must be stable: FlinkRunner buffers it in the operator's
   * state and releases it only when the next checkpoint completes (and again, from that state, after
   * a restore); runners without checkpoints pass it on at once.
   */
  static final class ReleaseAfterCheckpoint<T> extends DoFn<T, T> {
    @RequiresStableInput
    @ProcessElement
    public void process(@Element T record, OutputReceiver<T> out) {
      out.output(record);
    }
  }

  /**
   * The consumer the exactly-once sink keeps its numbers with: Beam's settings (servers, group)
   * over the job's client settings, so a secured cluster's settings reach it too.
   */
  static final class SinkGroupConsumer implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private final Map<String, Object> clientConfig;

    SinkGroupConsumer(Map<String, Object> clientConfig) {
      this.clientConfig = new HashMap<>(clientConfig);
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> beamConfig) {
      Map<String, Object> config = new HashMap<>(clientConfig);
      config.putAll(beamConfig);
      return new KafkaConsumer<>(config);
    }
  }

  static final class ProjectionJson extends DoFn<ProjectionRow, KV<String, String>> {
    @ProcessElement
    public void process(@Element ProjectionRow r, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(ProjectionRecords.kafkaKey(r), ProjectionRecords.toJson(r)));
    }
  }

  static final class ConvertedJson extends DoFn<ConvertedRow, KV<String, String>> {
    @ProcessElement
    public void process(@Element ConvertedRow r, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(ConvertedRecords.kafkaKey(r), ConvertedRecords.toJson(r)));
    }
  }

  static final class CurrentJson extends DoFn<CurrentRow, KV<String, String>> {
    @ProcessElement
    public void process(@Element CurrentRow r, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(CurrentRecords.kafkaKey(r), CurrentRecords.toJson(r)));
    }
  }

  static final class DeadLetterJson extends DoFn<DeadLetter, KV<String, String>> {
    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(d.source(), DeadLetterRecords.toJson(d)));
    }
  }

  static final class BeyondJson extends DoFn<BeyondLateness, KV<String, String>> {
    @ProcessElement
    public void process(@Element BeyondLateness b, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(BeyondLatenessRecords.kafkaKey(b), BeyondLatenessRecords.toJson(b)));
    }
  }
}
