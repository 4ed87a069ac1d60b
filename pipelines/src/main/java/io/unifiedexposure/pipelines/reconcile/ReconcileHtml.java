package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.EvidenceSources.signed;

import io.unifiedexposure.contract.EventEncoder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The self-contained HTML report: the summary, one chart per currency of live vs replay exposure
 * per window (summed over the merchants compared; drifted windows marked red), the drifted windows
 * with their evidence, the metrics and the repair plan. No script, no external resource.
 */
final class ReconcileHtml {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 240;
  private static final int PAD = 50;

  private final ReconcileReport report;

  ReconcileHtml(ReconcileReport report) {
    this.report = report;
  }

  String render() {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>exposure reconcile</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
        .append("td.l{text-align:left}.drift{color:#c00;font-weight:bold}code{background:#f6f6f6}")
        .append("</style></head><body><h1>Live vs replay</h1>");
    summary(h);
    charts(h);
    drifted(h);
    h.append("<h2>Metrics</h2><table>");
    report.metrics.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>")
        .append(esc(String.valueOf(v))).append("</td></tr>"));
    h.append("</table><h2>Repair plan</h2>");
    if (report.commands.isEmpty()) {
      h.append("<p>Nothing to repair.</p>");
    }
    report.commands.forEach(c -> h.append("<p><code>").append(esc(c)).append("</code></p>"));
    return h.append("</body></html>\n").toString();
  }

  private void summary(StringBuilder h) {
    Reconciliation rec = report.rec;
    h.append("<table><tr>");
    rec.countsByKind().keySet().forEach(k -> h.append("<th>").append(k.label()).append("</th>"));
    h.append("<th>drift rate</th><th>unexplained</th></tr><tr>");
    rec.countsByKind().values().forEach(n -> h.append("<td>").append(n).append("</td>"));
    h.append(String.format("<td>%.2f%%</td><td class=\"%s\">%d (threshold %d)</td></tr></table>",
        100 * rec.driftRate(), report.unexplainedOverThreshold() ? "drift" : "", rec.unexplained(),
        report.maxUnexplained));
  }

  private void charts(StringBuilder h) {
    Map<String, Map<Long, long[]>> byCurrency = new TreeMap<>();
    Map<String, Set<Long>> drifted = new TreeMap<>();
    for (WindowVerdict v : report.rec.verdicts) {
      long[] sums = byCurrency.computeIfAbsent(v.currency, c -> new TreeMap<>())
          .computeIfAbsent(v.windowStart, w -> new long[2]);
      sums[0] += v.liveExposure();
      sums[1] += v.replayExposure();
      if (v.kind.isDrift()) {
        drifted.computeIfAbsent(v.currency, c -> new TreeSet<>()).add(v.windowStart);
      }
    }
    h.append("<h2>Exposure per window</h2><p>Blue: live newest pane; orange dashed: replay; "
        + "red marks: windows that drifted.</p>");
    byCurrency.forEach((currency, sums) -> chart(h, currency, sums, drifted.getOrDefault(currency, Set.of())));
  }

  private void chart(StringBuilder h, String currency, Map<Long, long[]> sums, Set<Long> drifted) {
    List<Long> windows = List.copyOf(sums.keySet());
    long min = 0;
    long max = 1;
    for (long[] s : sums.values()) {
      min = Math.min(min, Math.min(s[0], s[1]));
      max = Math.max(max, Math.max(s[0], s[1]));
    }
    double dx = windows.size() > 1 ? (WIDTH - 2.0 * PAD) / (windows.size() - 1) : 0;
    double scale = (HEIGHT - 2.0 * PAD) / (max - min);
    StringBuilder live = new StringBuilder();
    StringBuilder replay = new StringBuilder();
    StringBuilder marks = new StringBuilder();
    for (int i = 0; i < windows.size(); i++) {
      long[] s = sums.get(windows.get(i));
      double x = PAD + i * dx;
      double yl = HEIGHT - PAD - (s[0] - min) * scale;
      double yr = HEIGHT - PAD - (s[1] - min) * scale;
      live.append(String.format("%.1f,%.1f ", x, yl));
      replay.append(String.format("%.1f,%.1f ", x, yr));
      if (drifted.contains(windows.get(i))) {
        marks.append(String.format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"none\" stroke=\"#c00\" "
            + "stroke-width=\"2\"><title>%s drift</title></circle>", x, yl, EventEncoder.isoUtc(windows.get(i))));
      }
    }
    h.append("<h3>").append(esc(currency)).append("</h3>")
        .append(String.format("<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", WIDTH, HEIGHT))
        .append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
            PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD))
        .append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", PAD, HEIGHT - PAD + 16,
            EventEncoder.isoUtc(windows.get(0)).substring(0, 10)))
        .append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
            WIDTH - PAD, HEIGHT - PAD + 16, EventEncoder.isoUtc(windows.get(windows.size() - 1)).substring(0, 10)))
        .append(String.format("<text x=\"4\" y=\"%d\" font-size=\"11\">%,d</text>", PAD, max))
        .append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"").append(live).append("\"/>")
        .append("<polyline fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\" stroke-dasharray=\"5,4\" points=\"")
        .append(replay).append("\"/>")
        .append(marks)
        .append("</svg>");
  }

  private void drifted(StringBuilder h) {
    List<WindowVerdict> drift = report.rec.drifted();
    h.append("<h2>Drifted windows (").append(drift.size()).append(")</h2>");
    if (drift.isEmpty()) {
      h.append("<p>None: every window live has closed equals the replay.</p>");
      return;
    }
    h.append("<table><tr><th>merchant</th><th>currency</th><th>window</th><th>live</th><th>replay</th>")
        .append("<th>difference</th><th>class</th><th>cause</th><th>evidence</th></tr>");
    for (WindowVerdict v : drift) {
      StringBuilder ev = new StringBuilder();
      v.evidence.forEach(e -> ev.append(esc(e.toString())).append("<br>"));
      h.append("<tr><td class=\"l\">").append(esc(v.merchantId)).append("</td><td class=\"l\">")
          .append(esc(v.currency)).append("</td><td class=\"l\">")
          .append(EventEncoder.isoUtc(v.windowStart), 0, 10).append("</td><td>")
          .append(String.format("%,d", v.liveExposure())).append("</td><td>")
          .append(String.format("%,d", v.replayExposure())).append("</td><td class=\"drift\">")
          .append(signed(v.difference())).append("</td><td class=\"l\">").append(v.kind.label())
          .append("</td><td class=\"l\">").append(v.cause.label()).append("</td><td class=\"l\">")
          .append(ev).append("</td></tr>");
    }
    h.append("</table>");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
