package io.unifiedexposure.tools.demo;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.pipelines.format.ConvertedRecords;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Live's newest converted row per (merchant, day) against the replay's, for the demo's last step. */
final class ConvertedComparison {
  final Map<String, ConvertedRow> live = new TreeMap<>();
  final Map<String, ConvertedRow> replay = new TreeMap<>();
  /** Keys whose exposure, facts or missing rates differ, or that one side lacks. */
  final Map<String, String> differences = new TreeMap<>();

  static ConvertedComparison of(List<ConsumerRecord<String, String>> liveRows, List<GenericRecord> replayRows) {
    ConvertedComparison c = new ConvertedComparison();
    List<ConvertedRow> published = new ArrayList<>();
    liveRows.forEach(r -> published.add(ConvertedRecords.fromJson(r.value())));
    c.live.putAll(ConvertedRecords.newest(published));
    for (GenericRecord g : replayRows) {
      ConvertedRow row = ConvertedRecords.fromAvro(g);
      c.replay.put(ConvertedRecords.kafkaKey(row), row);
    }
    TreeMap<String, Boolean> keys = new TreeMap<>();
    c.live.keySet().forEach(k -> keys.put(k, true));
    c.replay.keySet().forEach(k -> keys.put(k, true));
    for (String k : keys.keySet()) {
      String l = view(c.live.get(k));
      String r = view(c.replay.get(k));
      if (!l.equals(r)) {
        c.differences.put(k, "live " + l + " vs replay " + r);
      }
    }
    return c;
  }

  private static String view(ConvertedRow r) {
    return r == null
        ? "(none)"
        : RateCorrection.money(r) + " EUR over " + r.eventCount() + " facts"
            + (r.missingRates().isEmpty() ? "" : ", no rate for " + r.missingRates());
  }

  void print(PrintStream out, RateCorrection corrected) {
    long missing = replay.values().stream().filter(r -> !r.missingRates().isEmpty()).count();
    out.printf("   %d merchant-days; live (repairs included) == replay on %d; %d lack a rate for a currency (listed,"
        + " not counted as zero)%n", replay.size(), replay.size() - differences.size(), missing);
    differences.forEach((k, v) -> out.println("   differs: " + k + ": " + v));
    out.println("   the corrected day, " + corrected.key + ": live " + view(live.get(corrected.key)) + ", replay "
        + view(replay.get(corrected.key)));
  }

  /** Live's newest converted rows, repairs included, equal the replay's on every merchant-day. */
  boolean allAgree() {
    return differences.isEmpty() && !replay.isEmpty();
  }

  boolean replayAgreesWith(RateCorrection corrected) {
    ConvertedRow r = replay.get(corrected.key);
    return corrected.after != null && r != null && r.exposureMinor() == corrected.after.exposureMinor();
  }
}
