package io.unifiedexposure.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The event contract, read from its newest schema file ({@code exposure_event_v2.avsc}; every
 * earlier version's file stays beside it, and {@code ContractVersionsTest} checks each newer one
 * reads what the older wrote): field names, types, nullability and
 * the field-level rules carried as custom schema properties. Cross-field rules (amount sign, the
 * CORRECTION target) live in {@link EventDecoder}.
 */
public final class EventContract implements Serializable {
  public static final String SCHEMA_RESOURCE = "/io/unifiedexposure/contract/exposure_event_v2.avsc";
  /**
   * The version a fact is written in unless it carries a field of a later one: version 1 producers
   * and archives stay as they are.
   */
  public static final int FIRST_VERSION = 1;
  /** The newest version this build reads; earlier ones are read too. */
  public static final int CURRENT_VERSION = 2;

  /** The wire type of a field, as the decoder checks it. */
  public enum FieldType {
    STRING,
    LONG,
    INT,
    TIMESTAMP
  }

  /** One field of the contract with the rules the schema states for it. */
  public static final class FieldRule implements Serializable {
    public final String name;
    public final FieldType type;
    public final boolean nullable;
    public final int minLength;
    public final int maxLength;
    public final @Nullable List<String> allowed;
    /**
     * {@link #allowed} to look a value up in: a scan of a few strings, each compared by {@link
     * String#equals} called on a String, without hashing the value (a set's lookup reaches {@code
     * hashCode} and {@code equals} through call sites every other kind of key passes too).
     */
    private final String @Nullable [] allowedValuesText;
    public final @Nullable Pattern pattern;
    /** The values allowed from a list shipped beside the schema (e.g. ISO-4217 codes), or null. */
    public final @Nullable Set<String> codes;
    /** The list's file name, as the schema names it, for the reason that refuses a value. */
    public final @Nullable String codesName;
    public final @Nullable List<Integer> allowedValues;
    /** The largest magnitude a whole number may have, or {@link Long#MAX_VALUE}. */
    public final long maximum;
    /** The first contract version with this field: a record of an earlier version must not carry it. */
    public final int sinceVersion;

    FieldRule(
        String name,
        FieldType type,
        boolean nullable,
        int minLength,
        int maxLength,
        @Nullable List<String> allowed,
        @Nullable Pattern pattern,
        @Nullable String codesName,
        @Nullable List<Integer> allowedValues,
        long maximum,
        int sinceVersion) {
      this.name = name;
      this.type = type;
      this.nullable = nullable;
      this.minLength = minLength;
      this.maxLength = maxLength;
      this.allowed = allowed;
      this.allowedValuesText = allowed == null ? null : allowed.toArray(new String[0]);
      this.pattern = pattern;
      this.codesName = codesName;
      this.codes = codesName == null ? null : codeList(codesName);
      this.allowedValues = allowedValues;
      this.sinceVersion = sinceVersion;
      this.maximum = maximum;
    }

    /** Whether the rule lists allowed values and {@code value} is not one of them. */
    boolean refuses(String value) {
      if (allowedValuesText == null) {
        return false;
      }
      for (String allowedValue : allowedValuesText) {
        if (allowedValue.equals(value)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final EventContract CURRENT = load(SCHEMA_RESOURCE);

  private final String schemaJson;
  private final Map<String, FieldRule> fields;

  private EventContract(String schemaJson, Map<String, FieldRule> fields) {
    this.schemaJson = schemaJson;
    this.fields = fields;
  }

  /** The contract this build reads: every version up to {@link #CURRENT_VERSION}. */
  public static EventContract current() {
    return CURRENT;
  }

  /** The Avro schema text, for writers of the Parquet archive. */
  public String schemaJson() {
    return schemaJson;
  }

  /** The fields in schema order. */
  public Map<String, FieldRule> fields() {
    return fields;
  }

  /**
   * A contract read from another schema file beside the event contract's, in the same vocabulary
   * of field rules (the reference data contracts, {@link ReferenceContracts}).
   */
  static EventContract load(String resource) {
    try (InputStream in = EventContract.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing contract resource " + resource);
      }
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      JsonNode schema = new ObjectMapper().readTree(text);
      Map<String, FieldRule> rules = new LinkedHashMap<>();
      for (JsonNode f : schema.get("fields")) {
        FieldRule rule = toRule(f);
        rules.put(rule.name, rule);
      }
      return new EventContract(text, Collections.unmodifiableMap(rules));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static FieldRule toRule(JsonNode f) {
    String name = f.get("name").asText();
    JsonNode type = f.get("type");
    boolean nullable = false;
    if (type.isArray()) { // ["null", X]
      nullable = true;
      JsonNode nonNull = null;
      for (JsonNode branch : type) {
        if (!"null".equals(branch.asText())) {
          nonNull = branch;
        }
      }
      type = nonNull;
    }
    FieldType fieldType;
    if (type.isObject() && type.path("logicalType").asText().startsWith("timestamp")) {
      fieldType = FieldType.TIMESTAMP;
    } else {
      switch (type.asText()) {
        case "string":
          fieldType = FieldType.STRING;
          break;
        case "long":
          fieldType = FieldType.LONG;
          break;
        case "int":
          fieldType = FieldType.INT;
          break;
        default:
          throw new IllegalStateException("unsupported contract type for " + name + ": " + type);
      }
    }
    return new FieldRule(
        name,
        fieldType,
        nullable,
        f.path("minLength").asInt(0),
        f.path("maxLength").asInt(Integer.MAX_VALUE),
        f.has("allowed") ? strings(f.get("allowed")) : null,
        f.has("pattern") ? Pattern.compile(f.get("pattern").asText()) : null,
        f.has("codes") ? f.get("codes").asText() : null,
        f.has("allowedValues") ? ints(f.get("allowedValues")) : null,
        f.has("maximum") ? f.get("maximum").asLong() : Long.MAX_VALUE,
        f.path("sinceVersion").asInt(FIRST_VERSION));
  }

  /** A code list resource beside the schema: one value per line, {@code #} comments. */
  static Set<String> codeList(String name) {
    String resource = SCHEMA_RESOURCE.substring(0, SCHEMA_RESOURCE.lastIndexOf('/') + 1) + name;
    try (InputStream in = EventContract.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing contract resource " + resource);
      }
      Set<String> codes = new HashSet<>();
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        String code = line.strip();
        if (!code.isEmpty() && !code.startsWith("#")) {
          codes.add(code);
        }
      }
      return Collections.unmodifiableSet(codes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return Collections.unmodifiableList(out);
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return Collections.unmodifiableList(out);
  }
}
