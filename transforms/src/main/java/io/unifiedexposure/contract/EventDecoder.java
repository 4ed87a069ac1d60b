package io.unifiedexposure.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
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
  private static final ObjectMapper JSON = JsonPayloads.JSON;

  private static final int SCHEMA_VERSION = RecordFields.slot("schema_version");
  private final EventContract.FieldRule[] rules;
  private final Map<String, Integer> ruleIndex = new HashMap<>();
  /**
   * Per rule with a pattern, values it already accepted: a field like currency takes few values,
   * and running the pattern again for each record (its matcher and arrays) is wasted work. This is why a decoder belongs to one thread.
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

  /** A decoder of every contract version this build knows. */
  public static EventDecoder current() {
    return new EventDecoder(EventContract.current());
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
    if (raw.kind() != FactKind.EVENT) {
      return refuse(Problem.ofRecord("not_an_event", "a " + raw.kind()
          + " record reached the event decoder: the graph joins reference data only when it has a reporting currency"));
    }
    return raw.fields() != null ? decodeFields(raw.fields()) : decode(raw.payload());
  }

  public Result decode(byte[] payload) {
    // Plain ASCII (nearly every record) is valid UTF-8 as it is; anything else is checked first.
    boolean ascii = isAscii(payload);
    String text = null;
    Problem[] problem = new Problem[1];
    if (!ascii) {
      text = JsonPayloads.utf8(payload, problem);
      if (text == null) {
        return refuse(problem[0]);
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
    JsonNode root = JsonPayloads.object(text, problem);
    if (root == null) {
      return refuse(problem[0]);
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
    // Slots a record typed by an earlier build does not have (fields of later versions) are absent.
    return decodeFields(fields.toArray(new JsonNode[Math.max(fields.size(), rules.length)]), List.of());
  }

  private Result decodeFields(JsonNode[] byRule, List<String> unexpected) {
    List<Problem> problems = new ArrayList<>();
    if (!unexpected.isEmpty()) {
      problems.add(unexpectedFields(unexpected));
    }
    Object[] values = new Object[rules.length];
    for (int i = 0; i < rules.length; i++) {
      values[i] = FieldChecks.read(rules[i], matched[i], byRule[i], problems);
    }
    EventType type = values[2] == null ? null : EventType.valueOf((String) values[2]);
    FieldChecks.crossFieldRules(type, values, problems);
    FieldChecks.versionRules(rules, values, SCHEMA_VERSION, problems);
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
            .setAcquirerReference((String) values[8])
            .build();
    return new Result(event, problems);
  }

  /**
   * Fields outside the contract, as one reason naming the first few: a record with thousands of
   * made-up fields still gets one bounded reason (and no metric per made-up name).
   */
  private static Problem unexpectedFields(List<String> names) {
    StringBuilder named = new StringBuilder();
    for (int i = 0; i < Math.min(names.size(), 5); i++) {
      named.append(i == 0 ? "" : ", ").append('\'').append(FieldChecks.clip(names.get(i))).append('\'');
    }
    String more = names.size() > 5 ? " and " + (names.size() - 5) + " more" : "";
    return Problem.ofRecord("unexpected_field", "not part of the contract: " + named + more);
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

  private static Result refuse(Problem problem) {
    List<Problem> problems = new ArrayList<>();
    problems.add(problem);
    return new Result(null, problems);
  }
}
