package io.unifiedexposure.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The contract's instant text agrees with java.time's definitions, on the direct path and off it. */
class IsoInstantsTest {
  private static final long YEAR_0 = -62_167_219_200_000L;
  private static final long YEAR_10000 = 253_402_300_800_000L;

  @Test
  void formatIsIsoInstantToTheMillisecond() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      long millis = randomMillis(random, i);
      assertEquals(javaTime(millis), IsoInstants.format(millis), "millis " + millis);
    }
    for (long edge : new long[] {0, -1, 1, YEAR_0, YEAR_0 - 1, YEAR_10000 - 1, YEAR_10000, 951_782_400_000L}) {
      assertEquals(javaTime(edge), IsoInstants.format(edge), "millis " + edge);
    }
  }

  @Test
  void parseAgreesWithIsoOffsetDateTime() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      long millis = YEAR_0 + Math.floorMod(random.nextLong(), YEAR_10000 - YEAR_0);
      String text = javaTime(millis);
      assertEquals(millis, IsoInstants.parse(text), text);
      // Other fractions, offsets and cases go the general way, with the same answer.
      String base = text.substring(0, 19);
      for (String variant :
          new String[] {base + "Z", base + ".1Z", base + ".123456789Z", base + ".12Z", base + "+02:00",
              base + "-05:30", base.replace('T', 't') + "z", base.substring(0, 16) + "Z", base + ".Z"}) {
        assertSame(variant);
      }
    }
  }

  @Test
  void malformedTextAndCalendarEdgesAsJavaTimeSays() {
    String[] bad = {
      "", "Z", "2025-07-01", "2025-07-01T10:15:30", "2025-02-30T10:15:30Z", "2025-13-01T10:15:30Z",
      "2025-07-01T24:00:00Z", "2025-07-01T23:60:00Z", "2025-07-01T23:59:60Z", "2025-07-01 10:15:30Z",
      "2025-07-01T10:15:30.1234567890Z", "+2025-07-01T10:15:30Z", "2025-7-01T10:15:30.123Z",
      "2025-07-01T10:15:3aZ", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2025-07-01T10:15:30.-12Z",
      "１２３４-07-01T10:15:30Z", "2025-07-01T10:15:30.12３Z",
      // Calendar edges of the direct path's date arithmetic (year 0 is a leap year; 1900 is not).
      "0000-01-01T00:00:00Z", "0000-02-29T00:00:00Z", "0000-03-01T00:00:00.001Z", "0001-02-29T00:00:00Z",
      "9999-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00Z",
      "1900-02-29T00:00:00Z", "2100-02-28T00:00:00Z", "2025-04-31T00:00:00Z", "2025-00-10T00:00:00Z",
      "2025-07-00T00:00:00Z"
    };
    for (String text : bad) {
      assertSame(text);
    }
  }

  @Test
  void isFormatOfIsEqualityWithFormat() {
    Random random = new Random(13);
    for (int i = 0; i < 50_000; i++) {
      long millis = randomMillis(random, i);
      String text = IsoInstants.format(millis);
      String base = text.length() >= 19 ? text.substring(0, 19) : text;
      long other = millis + (random.nextBoolean() ? 1 : 1000);
      // The text itself; the same instant written otherwise; another instant's text.
      for (String candidate :
          new String[] {text, base + "Z", base + ".000Z", base + ".1Z", base + ".100Z", base + "+00:00",
              text.toLowerCase(), IsoInstants.format(other), IsoInstants.format(millis - Math.floorMod(millis, 1000))}) {
        assertEquals(
            IsoInstants.format(millis).equals(candidate), IsoInstants.isFormatOf(candidate, millis),
            candidate + " vs millis " + millis);
      }
    }
  }

  @Test
  void instantTextDecodesAsItsTextDoes() {
    Random random = new Random(19);
    EventDecoder decoder = EventDecoder.current();
    int kept = 0;
    for (int i = 0; i < 50_000; i++) {
      long millis = randomMillis(random, i);
      TextNode typed = InstantText.of(millis);
      TextNode text =
          TextNode.valueOf(IsoInstants.format(millis));
      kept += typed instanceof InstantText ? 1 : 0;
      assertEquals(text, typed, "millis " + millis);
      assertEquals(typed, text, "millis " + millis);
      EventDecoder.Result fromTyped = decoder.decodeFields(withEventTime(typed));
      EventDecoder.Result fromText = decoder.decodeFields(withEventTime(text));
      assertEquals(fromText.event, fromTyped.event, "millis " + millis);
      assertEquals(fromText.problems, fromTyped.problems, "millis " + millis);
    }
    assertTrue(kept > 30_000 && kept < 50_000, "both kinds were tried: " + kept + " kept their millis");
  }

  /** A valid record's fields with this event_time. */
  private static List<JsonNode> withEventTime(
      JsonNode time) {
    List<JsonNode> fields =
        new ArrayList<>(
            EventEncoder.fields(
                ExposureEvent.builder()
                    .setEventId("e-1")
                    .setMerchantId("m1")
                    .setEventType(EventType.CAPTURE)
                    .setAmountMinor(5)
                    .setCurrency("EUR")
                    .setEventTime(new Instant(0))
                    .setCorrectsEventId(null)
                    .setSchemaVersion(1)
                    .build()));
    fields.set(RecordFields.slot("event_time"), time);
    return fields;
  }

  /** Mostly years 0000-9999, every fourth anywhere in 4 x 10,000 years either way, every third whole. */
  private static long randomMillis(Random random, int i) {
    long millis =
        i % 4 == 0 ? random.nextLong() % (4 * YEAR_10000) : YEAR_0 + Math.floorMod(random.nextLong(), YEAR_10000 - YEAR_0);
    if (i % 3 == 0) {
      millis -= Math.floorMod(millis, 1000); // whole seconds print without a fraction
    }
    return millis;
  }

  /** Both definitions give the same millis, or both refuse the text. */
  private static void assertSame(String text) {
    Long expected;
    try {
      expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException refused) {
      expected = null;
    }
    if (expected == null) {
      assertThrows(DateTimeParseException.class, () -> IsoInstants.parse(text), text);
    } else {
      assertEquals(expected.longValue(), IsoInstants.parse(text), text);
    }
  }

  private static String javaTime(long millis) {
    return DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS));
  }
}
