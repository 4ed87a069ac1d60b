package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.format.BeyondLatenessRecords;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.serialization.StringSerializer;

/** The live outputs as JSON on Kafka topics; each record keyed so related records share a partition. */
final class KafkaSinks {
  private final String bootstrapServers;
  private final Map<String, Object> producerConfig;

  KafkaSinks(String bootstrapServers, Map<String, Object> producerConfig) {
    this.bootstrapServers = bootstrapServers;
    this.producerConfig = producerConfig;
  }

  void projections(PCollection<ProjectionRow> rows, String topic) {
    write(rows.apply("ProjectionToJson", ParDo.of(new ProjectionJson())), "WriteProjections", topic);
  }

  void deadLetters(PCollection<DeadLetter> letters, String topic) {
    write(letters.apply("DeadLetterToJson", ParDo.of(new DeadLetterJson())), "WriteDeadLetters", topic);
  }

  void beyondLateness(PCollection<BeyondLateness> facts, String topic) {
    write(facts.apply("BeyondLatenessToJson", ParDo.of(new BeyondJson())), "WriteBeyondLateness", topic);
  }

  private void write(PCollection<KV<String, String>> records, String name, String topic) {
    records
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(
            name,
            KafkaIO.<String, String>write()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class)
                .withProducerConfigUpdates(producerConfig));
  }

  static final class ProjectionJson extends DoFn<ProjectionRow, KV<String, String>> {
    @ProcessElement
    public void process(@Element ProjectionRow r, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(ProjectionRecords.kafkaKey(r), ProjectionRecords.toJson(r)));
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
