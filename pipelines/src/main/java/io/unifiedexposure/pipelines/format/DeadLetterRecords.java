package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.Problem;
import java.nio.ByteBuffer;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Dead letters on the wire: the original payload (as text, and as bytes in Parquet), every reason
 * ({@code field}, {@code rule}, {@code detail}), the source coordinate and when it was received.
 * On Kafka the key is the source coordinate; Kafka sources are also split into topic, partition and
 * offset.
 */
public final class DeadLetterRecords {
  private DeadLetterRecords() {}

  /** The coordinate a Kafka source gives a record: {@code kafka:topic/partition@offset}. */
  public static String kafkaSource(String topic, int partition, long offset) {
    return new KafkaCoordinate(topic, partition, offset).toString();
  }

  public static String toJson(DeadLetter d) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("payload", d.payloadText());
    ArrayNode reasons = n.putArray("reasons");
    for (Problem p : d.problems()) {
      reasons.addObject().put("code", p.code()).put("field", p.field()).put("rule", p.rule()).put("detail", p.detail());
    }
    n.put("source", d.source());
    KafkaCoordinate.parse(d.source()).ifPresent(k -> {
      n.put("source_topic", k.topic);
      n.put("source_partition", k.partition);
      n.put("source_offset", k.offset);
    });
    n.put("received_at", EventEncoder.isoUtc(d.receivedAtMillis()));
    return Json.text(n);
  }

  public static Schema schema() {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    return SchemaBuilder.record("ExposureDeadLetterV1")
        .namespace("io.unifiedexposure.deadletter")
        .fields()
        .requiredString("payload")
        .requiredBytes("payload_bytes")
        .name("reasons").type().array().items().stringType().noDefault()
        .requiredString("details")
        .requiredString("source")
        .name("received_at").type(millis).noDefault()
        .endRecord();
  }

  public static GenericRecord toAvro(Schema schema, DeadLetter d) {
    GenericData.Record g = new GenericData.Record(schema);
    g.put("payload", d.payloadText());
    g.put("payload_bytes", ByteBuffer.wrap(d.payload()));
    g.put("reasons", d.codes());
    g.put("details", d.problems().toString());
    g.put("source", d.source());
    g.put("received_at", d.receivedAtMillis());
    return g;
  }
}
