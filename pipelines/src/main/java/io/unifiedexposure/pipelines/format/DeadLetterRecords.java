package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Dead letters on the wire: the original payload (as text in JSON, as its bytes in Parquet) up to {@value
 * #PAYLOAD_CAP_BYTES} bytes, with its full size, its SHA-256 and whether it was cut; every reason
 * ({@code field}, {@code rule}, {@code detail}); the source coordinate and when it was received. On
 * Kafka the key is the source coordinate; Kafka sources are also split into topic, partition and
 * offset.
 *
 * <p>The cap keeps every dead letter within the producer's 1 MiB request limit whatever the input:
 * JSON escapes a byte into at most six characters ({@code \u0001}), so a capped payload takes at most
 * 384 KiB, and the reasons are bounded (one per contract field and rule, details clipped: {@link
 * Problem}). A record that could not be dead-lettered would fail the job again after every restart.
 */
public final class DeadLetterRecords {
  /** The most payload bytes a dead letter carries. */
  public static final int PAYLOAD_CAP_BYTES = 64 * 1024;

  private DeadLetterRecords() {}

  /** The coordinate a Kafka source gives a record: {@code kafka:topic/partition@offset}. */
  public static String kafkaSource(String topic, int partition, long offset) {
    return new KafkaCoordinate(topic, partition, offset).toString();
  }

  public static String toJson(DeadLetter d) {
    Kept kept = new Kept(d.payload());
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("payload", kept.text());
    n.put("payload_size", kept.size);
    n.put("payload_sha256", kept.sha256);
    n.put("payload_truncated", kept.truncated());
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

  /**
   * The Parquet form: the payload once, as the bytes received (binary: a payload need not be valid
   * UTF-8), and the reasons as a list of records, as in JSON.
   */
  public static Schema schema() {
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema reason = SchemaBuilder.record("Reason")
        .namespace("io.unifiedexposure.deadletter")
        .fields()
        .requiredString("code")
        .requiredString("field")
        .requiredString("rule")
        .requiredString("detail")
        .endRecord();
    return SchemaBuilder.record("ExposureDeadLetterV2")
        .namespace("io.unifiedexposure.deadletter")
        .fields()
        .requiredBytes("payload")
        .requiredLong("payload_size")
        .requiredString("payload_sha256")
        .requiredBoolean("payload_truncated")
        .name("reasons").type().array().items(reason).noDefault()
        .requiredString("source")
        .name("received_at").type(millis).noDefault()
        .endRecord();
  }

  public static GenericRecord toAvro(Schema schema, DeadLetter d) {
    Kept kept = new Kept(d.payload());
    Schema reason = schema.getField("reasons").schema().getElementType();
    List<GenericRecord> reasons = new ArrayList<>(d.problems().size());
    for (Problem p : d.problems()) {
      GenericData.Record r = new GenericData.Record(reason);
      r.put("code", p.code());
      r.put("field", p.field());
      r.put("rule", p.rule());
      r.put("detail", p.detail());
      reasons.add(r);
    }
    GenericData.Record g = new GenericData.Record(schema);
    g.put("payload", ByteBuffer.wrap(kept.head));
    g.put("payload_size", kept.size);
    g.put("payload_sha256", kept.sha256);
    g.put("payload_truncated", kept.truncated());
    g.put("reasons", reasons);
    g.put("source", d.source());
    g.put("received_at", d.receivedAtMillis());
    return g;
  }

  /**
   * The reason codes ({@code field.rule}) of a Parquet dead letter, in order; also of one written by
   * an earlier release (its reasons were the codes as strings).
   */
  public static List<String> codesOf(GenericRecord deadLetter) {
    List<String> codes = new ArrayList<>();
    for (Object r : (List<?>) deadLetter.get("reasons")) {
      codes.add(r instanceof GenericRecord ? ((GenericRecord) r).get("code").toString() : r.toString());
    }
    return codes;
  }

  /**
   * The payload a Parquet dead letter kept, as text (invalid UTF-8 replaced); also of one written by
   * an earlier release (its payload column was text).
   */
  public static String payloadTextOf(GenericRecord deadLetter) {
    Object payload = deadLetter.get("payload");
    return payload instanceof ByteBuffer
        ? StandardCharsets.UTF_8.decode(((ByteBuffer) payload).duplicate()).toString()
        : payload.toString();
  }

  /** What a dead letter keeps of its payload, the same in every output format. */
  private static final class Kept {
    final byte[] head;
    final long size;
    final String sha256;

    Kept(byte[] payload) {
      this.head = head(payload);
      this.size = payload.length;
      this.sha256 = sha256(payload);
    }

    String text() {
      return new String(head, StandardCharsets.UTF_8);
    }

    boolean truncated() {
      return head.length < size;
    }
  }

  /**
   * The payload up to {@value #PAYLOAD_CAP_BYTES} bytes, cut before a UTF-8 continuation byte so a
   * text payload stays whole characters.
   */
  static byte[] head(byte[] payload) {
    if (payload.length <= PAYLOAD_CAP_BYTES) {
      return payload;
    }
    int cut = PAYLOAD_CAP_BYTES;
    while (cut > PAYLOAD_CAP_BYTES - 4 && (payload[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return Arrays.copyOf(payload, cut);
  }

  static String sha256(byte[] payload) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
