package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.EvidenceSources.signed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.EventEncoder;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The converted rows' part of a reconcile: the verdicts per (merchant, window), or why they were
 * not compared (a replay or a live source without converted rows).
 */
final class ConvertedSection {
  final List<ConvertedVerdict> verdicts;
  /** Why nothing was compared; null when the verdicts are the comparison. */
  final @Nullable String notCompared;

  private ConvertedSection(List<ConvertedVerdict> verdicts, @Nullable String notCompared) {
    this.verdicts = verdicts;
    this.notCompared = notCompared;
  }

  static ConvertedSection of(List<ConvertedVerdict> verdicts) {
    return new ConvertedSection(verdicts, null);
  }

  static ConvertedSection notCompared(String why) {
    return new ConvertedSection(List.of(), why);
  }

  List<ConvertedVerdict> drifted() {
    return verdicts.stream().filter(v -> v.kind.isDrift()).collect(Collectors.toList());
  }

  long unexplained() {
    return verdicts.stream().filter(v -> v.cause == ConvertedVerdict.Cause.UNEXPLAINED).count();
  }

  void print(PrintStream out) {
    if (notCompared != null) {
      out.println("  converted rows: not compared (" + notCompared + ")");
      return;
    }
    Map<WindowVerdict.Kind, Integer> kinds = new EnumMap<>(WindowVerdict.Kind.class);
    for (WindowVerdict.Kind k : WindowVerdict.Kind.values()) {
      kinds.put(k, 0);
    }
    verdicts.forEach(v -> kinds.merge(v.kind, 1, Integer::sum));
    StringBuilder line = new StringBuilder("  converted rows, per merchant and day: " + verdicts.size() + ":");
    kinds.forEach((k, n) -> line.append(' ').append(k.label()).append(' ').append(n));
    out.println(line);
    Map<String, Integer> causes = new TreeMap<>();
    drifted().forEach(v -> causes.merge(v.cause.label(), 1, Integer::sum));
    if (!causes.isEmpty()) {
      out.println("    drift by cause: " + causes.entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(" ")));
    }
    drifted().stream().limit(5).forEach(v -> {
      out.printf("    %s %s  live %s  replay %s  diff %s  %s, %s%n", v.merchantId,
          EventEncoder.isoUtc(v.windowStart).substring(0, 10), view(v.live), view(v.replay), signed(v.difference()),
          v.kind.label(), v.cause.label());
      v.evidence.stream().limit(3).forEach(e -> out.println("      evidence: " + e));
    });
  }

  void json(ObjectNode root) {
    ObjectNode c = root.putObject("converted");
    if (notCompared != null) {
      c.put("not_compared", notCompared);
      return;
    }
    c.put("days", verdicts.size());
    c.put("drifted", drifted().size());
    c.put("unexplained", unexplained());
    ArrayNode days = c.putArray("days_compared");
    for (ConvertedVerdict v : verdicts) {
      ObjectNode n = days.addObject();
      n.put("merchant_id", v.merchantId);
      n.put("window_start", EventEncoder.isoUtc(v.windowStart));
      n.put("class", v.kind.label());
      n.put("cause", v.cause == null ? null : v.cause.label());
      row(n.putObject("live"), v.live);
      row(n.putObject("replay"), v.replay);
      n.put("difference_minor", v.difference());
      v.evidence.forEach(n.putArray("evidence")::add);
    }
  }

  private static void row(ObjectNode n, @Nullable ConvertedRow r) {
    if (r == null) {
      return;
    }
    n.put("exposure_minor", r.exposureMinor());
    n.put("event_count", r.eventCount());
    r.missingRates().forEach(n.putArray("missing_rates")::add);
    n.put("pane_timing", r.paneTiming().name());
    n.put("pane_index", r.paneIndex());
    n.put("is_final", r.isFinal());
  }

  private static String view(@Nullable ConvertedRow r) {
    return r == null ? "-" : String.format("%,d", r.exposureMinor())
        + (r.missingRates().isEmpty() ? "" : " (no rate for " + String.join(",", r.missingRates()) + ")");
  }
}
