package io.unifiedexposure.pipelines.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.testing.HostileRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Every dead letter fits the producer's 1 MiB request, whatever the record: the battery's records
 * each as a dead letter on the wire, the payload cut at the cap with its size and hash.
 */
class DeadLetterRecordsTest {
  private static final int PRODUCER_LIMIT = 1024 * 1024;

  @Test
  void everyBatteryDeadLetterFitsTheProducersLimit() {
    EventDecoder decoder = EventDecoder.current();
    for (HostileRecords.Case c : HostileRecords.all()) {
      RawRecord raw = c.raw("kafka:exposure-events/0@1");
      EventDecoder.Result result = decoder.decode(raw);
      if (result.isValid()) {
        continue;
      }
      String json = DeadLetterRecords.toJson(DeadLetter.of(raw, result.problems));
      int bytes = json.getBytes(StandardCharsets.UTF_8).length;
      assertTrue(bytes < PRODUCER_LIMIT / 2, c + ": " + bytes + " bytes");
      JsonNode n = Json.parse(json);
      assertEquals(c.payload.length, n.get("payload_size").asInt(), c.toString());
      assertEquals(c.payload.length > DeadLetterRecords.PAYLOAD_CAP_BYTES, n.get("payload_truncated").asBoolean(),
          c.toString());
      assertEquals(DeadLetterRecords.sha256(c.payload), n.get("payload_sha256").asText(), c.toString());
    }
  }

  @Test
  void inParquetAPayloadIsKeptOnceAsItsBytesAndEveryReasonAsARecord() {
    EventDecoder decoder = EventDecoder.current();
    Schema schema = DeadLetterRecords.schema();
    int refused = 0;
    for (HostileRecords.Case c : HostileRecords.all()) {
      RawRecord raw = c.raw("file:/a/part-0.parquet#7");
      EventDecoder.Result result = decoder.decode(raw);
      if (result.isValid()) {
        continue;
      }
      refused++;
      GenericRecord g = DeadLetterRecords.toAvro(schema, DeadLetter.of(raw, result.problems));
      byte[] kept = new byte[((ByteBuffer) g.get("payload")).remaining()];
      ((ByteBuffer) g.get("payload")).duplicate().get(kept);
      assertArrayEquals(DeadLetterRecords.head(c.payload), kept, c + ": the bytes received, invalid UTF-8 too");
      assertEquals(List.of("payload", "payload_size", "payload_sha256", "payload_truncated", "reasons", "source",
          "received_at"), schema.getFields().stream().map(Schema.Field::name).collect(Collectors.toList()),
          "the payload once");
      List<String> codes = new ArrayList<>();
      for (Object r : (List<?>) g.get("reasons")) {
        GenericRecord reason = (GenericRecord) r;
        assertEquals(reason.get("field") + "." + reason.get("rule"), reason.get("code").toString(), c.toString());
        codes.add(reason.get("code").toString());
      }
      assertEquals(String.join(",", codes), c.codes, c.toString());
      assertEquals(codes, DeadLetterRecords.codesOf(g));
      GenericRecord first = (GenericRecord) ((List<?>) g.get("reasons")).get(0);
      assertEquals(result.problems.get(0).detail(), first.get("detail").toString());
    }
    assertTrue(refused > 40, "the battery's refused records: " + refused);
  }

  @Test
  void deadLettersOfAnEarlierReleaseAreStillRead() {
    Schema v1 = SchemaBuilder.record("ExposureDeadLetterV1").fields()
        .requiredString("payload")
        .name("reasons").type().array().items().stringType().noDefault()
        .endRecord();
    GenericData.Record old = new GenericData.Record(v1);
    old.put("payload", "{\"event_id\":1}");
    old.put("reasons", List.of("event_id.type", "merchant_id.required"));
    assertEquals(List.of("event_id.type", "merchant_id.required"), DeadLetterRecords.codesOf(old));
    assertEquals("{\"event_id\":1}", DeadLetterRecords.payloadTextOf(old));
  }

  @Test
  void aPayloadIsCutAtTheCapOnACharacterBoundary() {
    String text = "\u00e9".repeat(DeadLetterRecords.PAYLOAD_CAP_BYTES); // two bytes each
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] head = DeadLetterRecords.head(payload);
    assertEquals(DeadLetterRecords.PAYLOAD_CAP_BYTES, head.length);
    assertFalse(new String(head, StandardCharsets.UTF_8).contains("\uFFFD"), "whole characters only");
    byte[] odd = ("x" + text).getBytes(StandardCharsets.UTF_8);
    assertEquals(DeadLetterRecords.PAYLOAD_CAP_BYTES - 1, DeadLetterRecords.head(odd).length,
        "a character the cap would split is left out");
    byte[] small = "{}".getBytes(StandardCharsets.UTF_8);
    assertEquals(small, DeadLetterRecords.head(small));
  }
}
