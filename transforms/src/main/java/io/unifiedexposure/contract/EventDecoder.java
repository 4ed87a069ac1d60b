package io.unifiedexposure.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Decodes one JSON wire record into an {@link ExposureEvent}, or explains every way it breaks the
 * contract. Never throws for bad input: all problems are returned, so a dead letter carries each
 * reason at once rather than the first one.
 */
public final class EventDecoder {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final EventContract contract;

  public EventDecoder(EventContract contract) {
    this.contract = contract;
  }

  public static EventDecoder v1() {
    return new EventDecoder(EventContract.v1());
  }

  /** The outcome of decoding: an event, or the problems (never both). */
  public static final class Result {
    public final @Nullable ExposureEvent event;
    public final List<Problem> problems;

    private Result(@Nullable ExposureEvent event, List<Problem> problems) {
      this.event = event;
      this.problems = problems;
    }

    public boolean isValid() {
      return event != null;
    }
  }

  public Result decode(byte[] payload) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload))
              .toString();
    } catch (CharacterCodingException e) {
      return refuse(Problem.ofRecord("invalid_utf8", "payload is not valid UTF-8"));
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return refuse(Problem.ofRecord("malformed_json", e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      return refuse(
          Problem.ofRecord(
              "not_an_object",
              "expected one JSON object, got " + (root == null ? "nothing" : root.getNodeType())));
    }
    return decodeObject(root);
  }

  private Result decodeObject(JsonNode root) {
    List<Problem> problems = new ArrayList<>();
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!contract.fields().containsKey(name)) {
        problems.add(Problem.of(name, "unexpected", "field is not part of the contract"));
      }
    }
    Object[] values = new Object[contract.fields().size()];
    int i = 0;
    for (EventContract.FieldRule rule : contract.fields().values()) {
      values[i++] = readField(rule, root.get(rule.name), problems);
    }
    checkCrossFieldRules(values, problems);
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    ExposureEvent event =
        ExposureEvent.builder()
            .setEventId((String) values[0])
            .setMerchantId((String) values[1])
            .setEventType(EventType.valueOf((String) values[2]))
            .setAmountMinor((Long) values[3])
            .setCurrency((String) values[4])
            .setEventTime((Instant) values[5])
            .setCorrectsEventId((String) values[6])
            .setSchemaVersion((Integer) values[7])
            .build();
    return new Result(event, problems);
  }

  /** Reads one field by its rule; returns null (and records a problem) when it is not usable. */
  private static @Nullable Object readField(
      EventContract.FieldRule rule, @Nullable JsonNode node, List<Problem> problems) {
    if (node == null || node.isNull()) {
      if (!rule.nullable) {
        problems.add(Problem.of(rule.name, "missing", node == null ? "field is absent" : "is null"));
      }
      return null;
    }
    switch (rule.type) {
      case STRING:
        return readString(rule, node, problems);
      case LONG:
        if (node.isIntegralNumber() && node.canConvertToLong()) {
          return node.longValue();
        }
        problems.add(Problem.of(rule.name, "wrong_type", "expected a 64-bit integer, got " + show(node)));
        return null;
      case INT:
        if (!(node.isIntegralNumber() && node.canConvertToInt())) {
          problems.add(Problem.of(rule.name, "wrong_type", "expected an integer, got " + show(node)));
          return null;
        }
        int v = node.intValue();
        if (rule.allowedValues != null && !rule.allowedValues.contains(v)) {
          problems.add(
              Problem.of(rule.name, "not_allowed", "unknown value " + v + "; known: " + rule.allowedValues));
          return null;
        }
        return v;
      case TIMESTAMP:
        return readTimestamp(rule, node, problems);
      default:
        throw new IllegalStateException("unhandled type " + rule.type);
    }
  }

  private static @Nullable String readString(
      EventContract.FieldRule rule, JsonNode node, List<Problem> problems) {
    if (!node.isTextual()) {
      problems.add(Problem.of(rule.name, "wrong_type", "expected a string, got " + show(node)));
      return null;
    }
    String s = node.textValue();
    if (s.length() < rule.minLength) {
      problems.add(Problem.of(rule.name, "too_short", "at least " + rule.minLength + " characters required"));
      return null;
    }
    if (s.length() > rule.maxLength) {
      problems.add(
          Problem.of(rule.name, "too_long", s.length() + " characters, at most " + rule.maxLength + " allowed"));
      return null;
    }
    if (rule.allowed != null && !rule.allowed.contains(s)) {
      problems.add(Problem.of(rule.name, "not_allowed", "'" + clip(s) + "' is not one of " + rule.allowed));
      return null;
    }
    if (rule.pattern != null && !rule.pattern.matcher(s).matches()) {
      problems.add(
          Problem.of(rule.name, "pattern", "'" + clip(s) + "' does not match " + rule.pattern.pattern()));
      return null;
    }
    return s;
  }

  /**
   * The wire form of {@code event_time}: ISO-8601 with a zone, to epoch millis. Sources that need the
   * event time before validation (a Kafka watermark) use this same definition.
   *
   * @throws DateTimeParseException when the text is not ISO-8601 with a zone
   */
  public static long parseEventTime(String text) {
    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
  }

  private static @Nullable Instant readTimestamp(
      EventContract.FieldRule rule, JsonNode node, List<Problem> problems) {
    if (!node.isTextual()) {
      problems.add(Problem.of(rule.name, "wrong_type", "expected an ISO-8601 string, got " + show(node)));
      return null;
    }
    try {
      return new Instant(parseEventTime(node.textValue()));
    } catch (DateTimeParseException | ArithmeticException e) {
      problems.add(
          Problem.of(
              rule.name,
              "bad_format",
              "'" + clip(node.textValue()) + "' is not ISO-8601 with a zone, e.g. 2025-07-01T10:15:30.123Z"));
      return null;
    }
  }

  /** Rules that tie fields together: amount sign by type, and the CORRECTION target. */
  private static void checkCrossFieldRules(Object[] values, List<Problem> problems) {
    String type = (String) values[2];
    Long amount = (Long) values[3];
    String target = (String) values[6];
    if (type == null) {
      return;
    }
    boolean correction = EventType.valueOf(type).isCorrection();
    if (amount != null) {
      if (!correction && amount < 0) {
        problems.add(Problem.of("amount_minor", "negative", amount + " is negative; only CORRECTION is signed"));
      } else if (correction && amount == 0) {
        problems.add(Problem.of("amount_minor", "zero_correction", "a CORRECTION must move exposure"));
      }
    }
    if (correction && target == null) {
      problems.add(Problem.of("corrects_event_id", "missing", "required for CORRECTION"));
    } else if (correction && target.isEmpty()) {
      problems.add(Problem.of("corrects_event_id", "too_short", "must name the corrected event_id"));
    } else if (!correction && target != null) {
      problems.add(Problem.of("corrects_event_id", "unexpected", "only a CORRECTION names a target"));
    }
  }

  private static Result refuse(Problem problem) {
    List<Problem> problems = new ArrayList<>();
    problems.add(problem);
    return new Result(null, problems);
  }

  private static String show(JsonNode node) {
    return node.getNodeType().name().toLowerCase() + " " + clip(node.toString());
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
