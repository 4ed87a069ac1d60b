package io.unifiedexposure.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The contract's rules applied to one record's typed values ({@link EventDecoder} reads them from
 * the wire or takes them from a typed source): each field by its {@link EventContract.FieldRule},
 * then the rules that tie fields together. A broken rule adds a {@link Problem} and never throws, so
 * a dead letter carries every reason at once.
 */
final class FieldChecks {
  /** Values a rule's pattern accepted, remembered up to this many per rule. */
  private static final int MATCHES_REMEMBERED = 64;

  private FieldChecks() {}

  /** Reads one field by its rule; returns null (and records a problem) when it is not usable. */
  static @Nullable Object read(
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
          long value = node.longValue();
          if (value > rule.maximum || value < -rule.maximum) {
            problems.add(Problem.of(rule.name, "too_large", value + " is beyond +/-" + rule.maximum));
            return null;
          }
          return value;
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
    // Lengths in characters (code points): an emoji is one character, not two UTF-16 units.
    int length = s.codePointCount(0, s.length());
    if (length < rule.minLength) {
      problems.add(Problem.of(rule.name, "too_short", "at least " + rule.minLength + " characters required"));
      return null;
    }
    if (length > rule.maxLength) {
      problems.add(
          Problem.of(rule.name, "too_long", length + " characters, at most " + rule.maxLength + " allowed"));
      return null;
    }
    if (!cleanText(rule, s, problems)) {
      return null;
    }
    if (rule.refuses(s)) {
      problems.add(Problem.of(rule.name, "not_allowed", "'" + clip(s) + "' is not one of " + rule.allowed));
      return null;
    }
    if ((rule.pattern != null || rule.codes != null) && !matched.contains(s)) {
      if (rule.pattern != null && !rule.pattern.matcher(s).matches()) {
        problems.add(
            Problem.of(rule.name, "pattern", "'" + clip(s) + "' does not match " + rule.pattern.pattern()));
        return null;
      }
      if (rule.codes != null && !rule.codes.contains(s)) {
        problems.add(Problem.of(rule.name, "unknown_code", "'" + clip(s) + "' is not in " + rule.codesName));
        return null;
      }
      if (matched.size() < MATCHES_REMEMBERED) {
        matched.add(s);
      }
    }
    return s;
  }

  /**
   * The rule every string of the contract follows: no control characters (C0, DEL, C1: a newline
   * or {@code \u0001} in an id breaks every tool downstream) and no leading or trailing whitespace
   * (an id of spaces, or {@code "m1 "} beside {@code "m1"}, would be a second merchant).
   */
  private static boolean cleanText(EventContract.FieldRule rule, String s, List<Problem> problems) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        problems.add(Problem.of(rule.name, "control_character",
            String.format("U+%04X at character %d", (int) c, s.codePointCount(0, i) + 1)));
        return false;
      }
    }
    if (!s.isEmpty() && (isSpace(s.codePointAt(0)) || isSpace(s.codePointBefore(s.length())))) {
      problems.add(Problem.of(rule.name, "whitespace", "'" + clip(s) + "' has leading or trailing whitespace"));
      return false;
    }
    return true;
  }

  /** Whitespace by Java's rule or Unicode's space separators (a no-break space is both a space and invisible). */
  private static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
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
      return new Instant(IsoInstants.parse(node.textValue()));
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
  static void crossFieldRules(
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
    } else if (correction && target.equals(values[0])) {
      problems.add(Problem.of("corrects_event_id", "self", "a CORRECTION cannot correct itself"));
    } else if (!correction && target != null) {
      problems.add(Problem.of("corrects_event_id", "unexpected", "only a CORRECTION names a target"));
    }
  }

  /**
   * A field of a later contract version than the record says it is written in is refused, never
   * read: a version 1 producer cannot have meant it, and taking it would read the record as another.
   */
  static void versionRules(EventContract.FieldRule[] rules, Object[] values, int versionSlot, List<Problem> problems) {
    Integer version = (Integer) values[versionSlot];
    if (version == null) {
      return;
    }
    for (int i = 0; i < rules.length; i++) {
      if (values[i] != null && rules[i].sinceVersion > version) {
        problems.add(Problem.of(rules[i].name, "since_version", "a field of contract version "
            + rules[i].sinceVersion + "; this record says schema_version " + version));
      }
    }
  }

  static String show(JsonNode node) {
    return node.getNodeType().name().toLowerCase() + " " + clip(node.toString());
  }

  static String clip(String s) {
    return Problem.clip(s, 40);
  }
}
