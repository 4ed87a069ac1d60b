package io.unifiedexposure.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The slot-by-slot wire-form check gives the answer of comparing with the built wire form. */
class EventEncoderTest {

  @Test
  void isWireFormOfAgreesWithEqualityToFields() {
    Random random = new Random(17);
    int wireForms = 0;
    for (int i = 0; i < 20_000; i++) {
      ExposureEvent event = withReference(randomEvent(random), random);
      List<JsonNode> wire = EventEncoder.fields(event);
      for (List<JsonNode> candidate : variants(wire, random)) {
        boolean expected = candidate.equals(wire);
        wireForms += expected ? 1 : 0;
        assertEquals(expected, EventEncoder.isWireFormOf(candidate, event), candidate + " vs " + event);
      }
    }
    assertTrue(wireForms >= 60_000, "every event's own form, a copy and its plain-text time were candidates");
  }

  private static ExposureEvent randomEvent(Random random) {
    EventType type = EventType.values()[random.nextInt(EventType.values().length)];
    long millis = 1_700_000_000_000L + random.nextInt(1_000_000_000);
    if (random.nextBoolean()) {
      millis -= millis % 1000; // whole seconds: no fraction in the text
    }
    return ExposureEvent.builder()
        .setEventId("e-" + random.nextInt(1000))
        .setMerchantId("m" + random.nextInt(10))
        .setEventType(type)
        .setAmountMinor(type.isCorrection() ? -1 - random.nextInt(500) : random.nextInt(500))
        .setCurrency(random.nextBoolean() ? "EUR" : "USD")
        .setEventTime(new Instant(millis))
        .setCorrectsEventId(type.isCorrection() ? "e-" + random.nextInt(1000) : null)
        .setSchemaVersion(random.nextBoolean() ? 1 : 2)
        .build();
  }

  /** Half the version 2 events carry an acquirer reference. */
  private static ExposureEvent withReference(ExposureEvent e, Random random) {
    return e.schemaVersion() == 2 && random.nextBoolean()
        ? e.toBuilder().setAcquirerReference("acq-" + random.nextInt(100)).build() : e;
  }

  /** The wire form itself, a copy of it, and copies with one slot changed in a random way. */
  private static List<List<JsonNode>> variants(List<JsonNode> wire, Random random) {
    List<List<JsonNode>> out = new ArrayList<>();
    out.add(wire);
    out.add(new ArrayList<>(wire));
    for (int slot = 0; slot < wire.size(); slot++) {
      List<JsonNode> changed = new ArrayList<>(wire);
      changed.set(slot, other(wire.get(slot), random));
      out.add(changed);
    }
    // The instant as plain text (a JSON record's), not the millis-keeping text a typed source gives.
    List<JsonNode> plainTime = new ArrayList<>(wire);
    int time = RecordFields.slot("event_time");
    plainTime.set(time, TextNode.valueOf(wire.get(time).textValue()));
    out.add(plainTime);
    out.add(wire.subList(0, wire.size() - 1));
    return out;
  }

  private static JsonNode other(JsonNode value, Random random) {
    if (value == null) { // an absent slot (no acquirer reference): made null or given a value
      return random.nextBoolean() ? NullNode.instance : TextNode.valueOf("acq-x");
    }
    switch (random.nextInt(5)) {
      case 0:
        return null;
      case 1:
        return NullNode.instance;
      case 2:
        return value.isTextual() ? TextNode.valueOf(value.textValue() + "x") : TextNode.valueOf(value.asText());
      case 3:
        return value.isIntegralNumber() ? (value.isInt() ? LongNode.valueOf(value.longValue()) : IntNode.valueOf(value.intValue())) : IntNode.valueOf(1);
      default:
        return value.isTextual() && value.textValue().endsWith("Z") && value.textValue().length() == 24
            ? TextNode.valueOf(value.textValue().substring(0, 19) + "Z")
            : value.isTextual() && value.textValue().endsWith("Z")
                ? TextNode.valueOf(value.textValue().substring(0, 19) + ".000Z")
                : value.isNull() ? TextNode.valueOf("") : value;
    }
  }
}
