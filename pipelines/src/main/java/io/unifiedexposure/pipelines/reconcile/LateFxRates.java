package io.unifiedexposure.pipelines.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.pipelines.format.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The FX rates live refused as beyond lateness, from its dead-letter topic: per (currency, day), the
 * versions and where they came from. A replay applies them (the reference archive has every valid
 * rate live read), so a converted day they touch differs, for that reason.
 */
final class LateFxRates {
  static final String CODE = "record.beyond_lateness";

  private final Map<String, List<String>> byCurrencyDay = new TreeMap<>();

  /** Takes a dead letter if it is an FX rate refused as beyond lateness; says whether it was. */
  boolean offer(String payload, List<String> codes, String source) {
    if (!codes.contains(CODE)) {
      return false;
    }
    JsonNode n;
    try {
      n = Json.parse(payload);
    } catch (RuntimeException notJson) {
      return false;
    }
    if (!n.hasNonNull("reporting_currency") || !n.hasNonNull("currency") || !n.hasNonNull("day")) {
      return false;
    }
    long day;
    try {
      day = FxRate.dayStart(n.get("day").asText());
    } catch (RuntimeException badDay) {
      return false;
    }
    byCurrencyDay.computeIfAbsent(key(n.get("currency").asText(), day), k -> new ArrayList<>())
        .add(n.get("currency").asText() + " " + n.get("day").asText() + " version " + n.path("version").asText("?")
            + " (" + n.path("rate").asText("?") + ") from " + source + " reached live after the day closed");
    return true;
  }

  /** What live refused for this currency and day; empty when nothing. */
  List<String> of(String currency, long dayStart) {
    return byCurrencyDay.getOrDefault(key(currency, dayStart), List.of());
  }

  int size() {
    return byCurrencyDay.values().stream().mapToInt(List::size).sum();
  }

  private static String key(String currency, long day) {
    return currency + "|" + day;
  }
}
