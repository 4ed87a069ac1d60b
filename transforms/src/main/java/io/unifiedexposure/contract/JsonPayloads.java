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
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How every contract's decoder reads a JSON payload before its fields: valid UTF-8, then one JSON
 * object (strict: no duplicate names, nothing after it). Each step refuses with one {@link Problem}.
 */
final class JsonPayloads {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonPayloads() {}

  /** The payload's text, or null when it is not valid UTF-8 (then {@code problem[0]} says so). */
  static @Nullable String utf8(byte[] payload, Problem[] problem) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      problem[0] = Problem.ofRecord("invalid_utf8", "payload is not valid UTF-8");
      return null;
    }
  }

  /** The text as one JSON object, or null when it is not one (then {@code problem[0]} says why). */
  static @Nullable JsonNode object(String text, Problem[] problem) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      problem[0] = Problem.ofRecord("malformed_json", e.getOriginalMessage());
      return null;
    }
    if (root == null || !root.isObject()) {
      problem[0] =
          Problem.ofRecord(
              "not_an_object", "expected one JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
      return null;
    }
    return root;
  }
}
