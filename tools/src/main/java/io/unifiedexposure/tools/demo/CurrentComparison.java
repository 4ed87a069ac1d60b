package io.unifiedexposure.tools.demo;

import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.pipelines.format.CurrentRecords;
import io.unifiedexposure.pipelines.reconcile.CurrentSection;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * Each merchant's current exposure as live's compacted topic holds it, as reconcile compared it
 * with the replay's row of that day, and the day the replay first puts the limited merchant over
 * its limit.
 */
final class CurrentComparison {
  /** Reconcile's verdict per merchant. */
  final Map<String, CurrentSection.Verdict> verdicts = new TreeMap<>();
  /** The replay's rows of the limited merchant, by day. */
  final Map<String, CurrentRow> limited = new TreeMap<>();

  static CurrentComparison of(List<CurrentSection.Verdict> verdicts, Iterable<GenericRecord> replayRows) {
    CurrentComparison c = new CurrentComparison();
    verdicts.forEach(v -> c.verdicts.put(v.merchantId, v));
    for (GenericRecord g : replayRows) {
      CurrentRow row = CurrentRecords.fromAvro(g);
      if (row.merchantId().equals(DemoStream.LIMITED)) {
        c.limited.put(day(row), row);
      }
    }
    return c;
  }

  static String day(CurrentRow r) {
    return r.asOfDay().toString().substring(0, 10);
  }

  static String view(CurrentRow r) {
    return String.format("%,.2f EUR over %d facts", r.exposureMinor() / 100.0, r.eventCount())
        + (r.missingRates().isEmpty() ? "" : " (no rate for " + r.missingRates() + ")")
        + (r.limit() == null ? ", no limit"
            : String.format(", limit %,.2f%s", r.limitMinorOrNull() / 100.0, r.overLimit() ? ", OVER: payouts held" : ""));
  }

  /** The first day the replay puts the limited merchant over its limit, or null. */
  String firstOverLimit() {
    return limited.values().stream().filter(CurrentRow::overLimit).map(CurrentComparison::day).findFirst().orElse(null);
  }

  /** Every merchant's current row matches the replay's, or differs by exactly the converted drift reconcile found. */
  boolean allAgree() {
    return !verdicts.isEmpty() && verdicts.values().stream().allMatch(v -> v.kind != CurrentSection.Kind.UNEXPLAINED);
  }

  void print(PrintStream out, int days) {
    verdicts.forEach((merchant, v) -> {
      out.printf("   %s as of %s (%d days): live %s%n", merchant, day(v.live), days, view(v.live));
      out.println("      " + (v.kind == CurrentSection.Kind.MATCH
          ? "the replay's row of that day is the same"
          : String.format("replay %s: %s (%+,.2f EUR on converted days %s, repaired there; live's row rolls it out)",
              view(v.replay), v.kind.label(), v.difference() / 100.0, v.driftDays)));
    });
    String over = firstOverLimit();
    CurrentRow before = limited.values().stream()
        .filter(r -> over != null && day(r).compareTo(over) < 0)
        .reduce((a, b) -> b)
        .orElse(null);
    out.println("   " + DemoStream.LIMITED + " goes over its limit on " + over
        + " (risk lowered it to 1.00 EUR from noon that day)" + (before == null ? ""
            : "; the day before, " + day(before) + ": " + view(before)));
  }
}
