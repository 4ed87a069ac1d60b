package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.EvidenceSources.signed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a reconcile found, three ways: a console summary read in seconds, {@code reconcile.json}
 * for machines and {@code reconcile.html} for people (see {@link ReconcileHtml}).
 */
final class ReconcileReport {
  static final String JSON_FILE = "reconcile.json";
  static final String HTML_FILE = "reconcile.html";

  final Reconciliation rec;
  final RepairPlan plan;
  final Map<String, Object> metrics;
  final List<String> commands;
  final int maxUnexplained;
  final Map<Cause, Integer> evidenceCounts;
  /** What was compared and when, in order: live, replay, archive, windows, generated_at. */
  final Map<String, String> compared;
  /** Per drifted window (its upsert key), the explain command whose output the HTML links to. */
  final Map<String, String> explainCommands;
  /** The converted days compared, or why they were not. */
  final ConvertedSection converted;
  /** The merchants' current rows compared, or why they were not. */
  final CurrentSection current;

  ReconcileReport(
      Reconciliation rec, RepairPlan plan, Map<String, Object> metrics, List<String> commands, int maxUnexplained,
      Map<Cause, Integer> evidenceCounts, Map<String, String> compared, Map<String, String> explainCommands,
      ConvertedSection converted, CurrentSection current) {
    this.rec = rec;
    this.converted = converted;
    this.current = current;
    this.explainCommands = explainCommands;
    this.compared = compared;
    this.evidenceCounts = evidenceCounts;
    this.plan = plan;
    this.metrics = metrics;
    this.commands = commands;
    this.maxUnexplained = maxUnexplained;
  }

  /** Unexplained drift, native windows, converted days and current rows together, over the threshold. */
  boolean unexplainedOverThreshold() {
    return rec.unexplained() + converted.unexplained() + current.unexplained() > maxUnexplained;
  }

  void print(PrintStream out) {
    Map<WindowVerdict.Kind, Integer> kinds = rec.countsByKind();
    out.printf("reconcile: %d windows, live newest pane vs replay%n", rec.verdicts.size());
    out.printf("  live: %s; replay: %s; windows %s%n",
        compared.get("live"), compared.get("replay"), compared.get("windows"));
    StringBuilder line = new StringBuilder("  ");
    kinds.forEach((k, n) -> line.append(k.label()).append(' ').append(n).append("  "));
    out.println(line.toString().stripTrailing());
    out.printf("  drift rate %.2f%% of the %d windows live has closed; unexplained %d (threshold %d)%n",
        100 * rec.driftRate(), rec.closed(), rec.unexplained(), maxUnexplained);
    if (!rec.driftByCause().isEmpty()) {
      StringBuilder causes = new StringBuilder("  drift by cause:");
      rec.driftByCause().forEach((c, n) -> causes.append(' ').append(c.label()).append(' ').append(n));
      out.println(causes);
    }
    List<WindowVerdict> worst = rec.worst(5);
    if (!worst.isEmpty()) {
      out.println("  worst windows:");
      for (WindowVerdict v : worst) {
        out.printf("    %s %s %s  live %s  replay %s  diff %s  %s, %s%n",
            v.merchantId, v.currency, EventEncoder.isoUtc(v.windowStart).substring(0, 10),
            String.format("%,d", v.liveExposure()), String.format("%,d", v.replayExposure()), signed(v.difference()),
            v.kind.label(), v.cause.label());
        v.evidence.stream().limit(3).forEach(e -> out.println("      evidence: " + e));
      }
    }
    StringBuilder ev = new StringBuilder("  evidence read:");
    for (Cause c : Cause.values()) {
      if (c != Cause.UNEXPLAINED) {
        ev.append(' ').append(c.label()).append(' ').append(evidenceCounts.getOrDefault(c, 0));
      }
    }
    out.println(ev + (rec.unplaced.isEmpty() ? "" : " (" + rec.unplaced.size() + " name no window)"));
    converted.print(out);
    current.print(out);
    out.println("  metrics: " + ReconcileMetrics.readable(metrics));
    if (plan.launches.isEmpty()) {
      out.println("  repair plan: nothing to repair");
    } else {
      out.printf("  repair plan: %d backfill launch(es) repair %d window(s) and %d converted day(s):%n",
          plan.launches.size(), plan.launches.stream().mapToInt(l -> l.windows.size()).sum(),
          plan.launches.stream().mapToInt(l -> l.convertedDays.size()).sum());
      commands.forEach(c -> out.println("    " + c));
    }
    if (!explainCommands.isEmpty()) {
      out.printf("  explain a drifted window fact by fact (%d in the report), e.g.:%n    %s%n",
          explainCommands.size(), explainCommands.values().iterator().next());
    }
    if (!plan.notRepaired.isEmpty()) {
      out.printf("  not repaired: %d window(s) drifted from an archive gap; restore the archive first%n",
          plan.notRepaired.size());
    }
  }

  /** Writes {@value #JSON_FILE} and {@value #HTML_FILE} into a directory (a local path or a URL). */
  void write(String dir) throws IOException {
    StoredFiles.writeString(
        StoredFiles.resolve(dir, JSON_FILE), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json()));
    StoredFiles.writeString(StoredFiles.resolve(dir, HTML_FILE), new ReconcileHtml(this).render());
  }

  ObjectNode json() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode what = root.putObject("compared");
    compared.forEach(what::put);
    ObjectNode summary = root.putObject("summary");
    summary.put("windows", rec.verdicts.size());
    rec.countsByKind().forEach((k, n) -> summary.put(k.label(), n));
    summary.put("closed", rec.closed());
    summary.put("drift_rate", rec.driftRate());
    summary.put("unexplained", rec.unexplained());
    summary.put("max_unexplained", maxUnexplained);
    ObjectNode causes = summary.putObject("drift_by_cause");
    rec.driftByCause().forEach((c, n) -> causes.put(c.label(), n));
    root.set("metrics", Json.MAPPER.valueToTree(metrics));
    ArrayNode launches = root.putArray("repair_plan");
    for (int i = 0; i < plan.launches.size(); i++) {
      RepairPlan.Launch l = plan.launches.get(i);
      ObjectNode n = launches.addObject();
      n.put("from", EventEncoder.isoUtc(l.fromMillis));
      n.put("to", EventEncoder.isoUtc(l.toMillis));
      l.merchants.forEach(n.putArray("merchants")::add);
      n.put("windows", l.windows.size());
      n.put("converted_days", l.convertedDays.size());
      n.put("command", commands.get(i));
    }
    converted.json(root);
    current.json(root);
    ArrayNode unplaced = root.putArray("evidence_without_window");
    rec.unplaced.forEach(e -> evidence(unplaced.addObject(), e));
    ArrayNode windows = root.putArray("windows");
    for (WindowVerdict v : rec.verdicts) {
      ObjectNode n = windows.addObject();
      n.put("merchant_id", v.merchantId);
      n.put("currency", v.currency);
      n.put("window_start", EventEncoder.isoUtc(v.windowStart));
      n.put("window_end", EventEncoder.isoUtc(v.windowEnd));
      n.put("class", v.kind.label());
      n.put("cause", v.cause == null ? null : v.cause.label());
      row(n.putObject("live"), v.live);
      row(n.putObject("replay"), v.replay);
      n.put("difference_minor", v.difference());
      String explain = explainCommands.get(ProjectionUpsert.key(v.merchantId, v.currency, v.windowStart));
      if (explain != null) {
        n.put("explain", explain);
      }
      ArrayNode ev = n.putArray("evidence");
      v.evidence.forEach(e -> evidence(ev.addObject(), e));
    }
    return root;
  }

  private static void row(ObjectNode n, ProjectionRow r) {
    if (r == null) {
      return;
    }
    n.put("exposure_minor", r.exposureMinor());
    n.put("event_count", r.eventCount());
    n.put("pane_timing", r.paneTiming().name());
    n.put("pane_index", r.paneIndex());
    n.put("is_final", r.isFinal());
  }

  private static void evidence(ObjectNode n, Evidence e) {
    n.put("cause", e.cause.label());
    n.put("source", e.source);
    n.put("detail", e.detail);
    if (e.deltaMinor != null) {
      n.put("delta_minor", e.deltaMinor);
    }
  }
}
