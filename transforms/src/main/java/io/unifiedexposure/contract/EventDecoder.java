package io.unifiedexposure.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** Values a rule's pattern accepted, remembered up to this many per rule. */
  private static final int MATCHES_REMEMBERED = 64;

  private final EventContract.FieldRule[] rules;
  private final Map<String, Integer> ruleIndex = new HashMap<>();
  /**
   * Per rule with a pattern, values it already accepted: a field like currency takes few values,
   * and running the pattern again for each record (its matcher and arrays) was 5% of reading an
   * archive row. This is why a decoder belongs to one thread.
   */
  private final Set<String>[] matched;

  /** A decoder of the contract's records; not thread-safe (one per thread or DoFn instance). */
  @SuppressWarnings("unchecked")
  public EventDecoder(EventContract contract) {
    this.rules = contract.fields().values().toArray(new EventContract.FieldRule[0]);
    this.matched = new Set[rules.length];
    for (int i = 0; i < rules.length; i++) {
      ruleIndex.put(rules[i].name, i);
      matched[i] = new HashSet<>();
    }
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

  /**
   * Decodes a record as a source handed it over: refused for the problem its source could not read
   * it for, its typed {@link RawRecord#fields()}, or its payload text.
   */
  public Result decode(RawRecord raw) {
    if (raw.readProblem() != null) {
      return refuse(raw.readProblem());
    }
    return raw.fields() != null ? decodeFields(raw.fields()) : decode(raw.payload());
  }

  public Result decode(byte[] payload) {
    // Plain ASCII (nearly every record) is valid UTF-8 as it is; anything else is checked first.
    boolean ascii = isAscii(payload);
    String text = null;
    if (!ascii) {
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
    }
    JsonNode[] byRule = new JsonNode[rules.length];
    List<String> unexpected = new ArrayList<>(0);
    if (readFlatObject(ascii ? payload : null, text, byRule, unexpected)) {
      return decodeFields(byRule, unexpected);
    }
    if (text == null) {
      text = new String(payload, StandardCharsets.US_ASCII);
    }
    // Not one flat object of scalars, or not JSON at all: the whole tree says what it is.
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
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      Integer rule = ruleIndex.get(name);
      if (rule == null) {
        unexpected.add(name);
      }
    }
    for (int i = 0; i < rules.length; i++) {
      byRule[i] = root.get(rules[i].name);
    }
    return decodeFields(byRule, unexpected);
  }

  /**
   * The common case without building a tree: one JSON object whose values are all scalars (from
   * the payload's bytes when they are plain ASCII, else from its checked text), read
   * token by token into the rule's slots (names not in the contract into {@code unexpected}).
   * False for anything else (nested values, trailing text, malformed or duplicate names), which
   * {@link #decode} then reads as a tree, so every answer and message is the tree's.
   */
  private boolean readFlatObject(
      byte @Nullable [] ascii, @Nullable String text, JsonNode[] byRule, List<String> unexpected) {
    try (JsonParser p = ascii != null ? JSON.getFactory().createParser(ascii) : JSON.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonNode value = scalar(p, p.nextToken());
        if (value == null) {
          return false;
        }
        Integer rule = ruleIndex.get(name);
        if (rule == null) {
          unexpected.add(name);
        } else {
          byRule[rule] = value;
        }
      }
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** The scalar at the parser as the node a tree would hold, or null when it is not a scalar. */
  private static @Nullable JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_STRING:
        return TextNode.valueOf(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return IntNode.valueOf(p.getIntValue());
          case LONG:
            return LongNode.valueOf(p.getLongValue());
          default:
            return null;
        }
      case VALUE_TRUE:
        return BooleanNode.TRUE;
      case VALUE_FALSE:
        return BooleanNode.FALSE;
      case VALUE_NULL:
        return NullNode.instance;
      default:
        return null;
    }
  }

  /**
   * Decodes a record handed over as typed values ({@link RecordFields}: one per contract field, in
   * contract order, null where absent) by the same rules as its wire form.
   */
  public Result decodeFields(List<JsonNode> fields) {
    return decodeFields(fields.toArray(new JsonNode[0]), List.of());
  }

  private Result decodeFields(JsonNode[] byRule, List<String> unexpected) {
    List<Problem> problems = new ArrayList<>();
    for (String name : unexpected) {
      problems.add(Problem.of(name, "unexpected", "field is not part of the contract"));
    }
    Object[] values = new Object[rules.length];
    for (int i = 0; i < rules.length; i++) {
      values[i] = readField(rules[i], matched[i], byRule[i], problems);
    }
    EventType type = values[2] == null ? null : EventType.valueOf((String) values[2]);
    checkCrossFieldRules(type, values, problems);
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    ExposureEvent event =
        ExposureEvent.builder()
            .setEventId((String) values[0])
            .setMerchantId((String) values[1])
            .setEventType(type)
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
      EventContract.FieldRule rule, Set<String> matched, @Nullable JsonNode node, List<Problem> problems) {
    if (node == null || node.isNull()) {
      if (!rule.nullable) {
        problems.add(Problem.of(rule.name, "missing", node == null ? "field is absent" : "is null"));
      }
      return null;
    }
    switch (rule.type) {
      case STRING:
        return readString(rule, matched, node, problems);
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
      EventContract.FieldRule rule, Set<String> matched, JsonNode node, List<Problem> problems) {
    if (!(node instanceof TextNode)) {
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
    if (rule.refuses(s)) {
      problems.add(Problem.of(rule.name, "not_allowed", "'" + clip(s) + "' is not one of " + rule.allowed));
      return null;
    }
    if (rule.pattern != null && !matched.contains(s)) {
      if (!rule.pattern.matcher(s).matches()) {
        problems.add(
            Problem.of(rule.name, "pattern", "'" + clip(s) + "' does not match " + rule.pattern.pattern()));
        return null;
      }
      if (matched.size() < MATCHES_REMEMBERED) {
        matched.add(s);
      }
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
    return IsoInstants.parse(text);
  }

  private static @Nullable Instant readTimestamp(
      EventContract.FieldRule rule, JsonNode node, List<Problem> problems) {
    if (!(node instanceof TextNode)) {
      problems.add(Problem.of(rule.name, "wrong_type", "expected an ISO-8601 string, got " + show(node)));
      return null;
    }
    if (node instanceof InstantText) {
      return new Instant(((InstantText) node).epochMillis()); // what parsing its text gives
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
  private static void checkCrossFieldRules(
      @Nullable EventType type, Object[] values, List<Problem> problems) {
    Long amount = (Long) values[3];
    String target = (String) values[6];
    if (type == null) {
      return;
    }
    boolean correction = type.isCorrection();
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
