package io.unifiedexposure.pipelines.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.testing.HostileRecords;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every dead letter fits the producer's 1 MiB request, whatever the record: the battery's records
 * each as a dead letter on the wire, the payload cut at the cap with its size and hash.
 */
class DeadLetterRecordsTest {
  private static final int PRODUCER_LIMIT = 1024 * 1024;

  @Test
  void everyBatteryDeadLetterFitsTheProducersLimit() {
    EventDecoder decoder = EventDecoder.v1();
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
