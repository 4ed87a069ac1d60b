package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.format.Html.esc;
import static io.unifiedexposure.pipelines.reconcile.EvidenceSources.signed;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ProjectionUpsert;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The self-contained HTML report, read top down: what was compared and when; the verdict counts;
 * per currency, the windows compared, drifted, and the live and replay totals; for each merchant
 * and currency with drift, its difference replay − live per window as bars on a labelled axis
 * (matching windows drawn as grey ticks); the drifted windows with their evidence; the metrics,
 * formatted; the repair plan. No script, no external resource.
 */
final class ReconcileHtml {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 200;
  private static final int LEFT = 110;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 40;
  /** At most this many merchant-currency charts, the largest drift first; the table lists every window. */
  static final int MAX_CHARTS = 24;

  private final ReconcileReport report;

  ReconcileHtml(ReconcileReport report) {
    this.report = report;
  }

  String render() {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>exposure reconcile</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222;max-width:1000px}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
        .append("td.l,th.l{text-align:left}.drift{color:#c00;font-weight:bold}.ok{color:#2a7d2a;font-weight:bold}")
        .append("code{background:#f6f6f6}h3{margin:1.2em 0 .2em}p.note{color:#555;margin:.2em 0}")
        .append("</style></head><body><h1>Live vs replay</h1>");
    compared(h);
    summary(h);
    currencies(h);
    charts(h);
    drifted(h);
    h.append("<h2>Metrics</h2><p class=\"note\">Rates from the replay's counters and the evidence. Delays and "
        + "freshness on the data's clock: from when the input passed a window's end (the archive's receipt "
        + "times), so history sent late measures the live job, not the data's age; a late window took a "
        + "record after the input's watermark passed its end.</p><table>");
    report.metrics.forEach((k, v) -> h.append("<tr><th class=\"l\">").append(esc(ReconcileMetrics.readableName(k)))
        .append("</th><td>").append(esc(ReconcileMetrics.readableValue(k, v))).append("</td></tr>"));
    h.append("</table><h2>Repair plan</h2>");
    if (report.commands.isEmpty()) {
      h.append("<p>Nothing to repair.</p>");
    }
    report.commands.forEach(c -> h.append("<p><code>").append(esc(c)).append("</code></p>"));
    return h.append("</body></html>\n").toString();
  }

  private void compared(StringBuilder h) {
    h.append("<table>");
    report.compared.forEach((k, v) -> h.append("<tr><th class=\"l\">").append(esc(k.replace('_', ' ')))
        .append("</th><td class=\"l\">").append(esc(v)).append("</td></tr>"));
    h.append("</table>");
  }

  private void summary(StringBuilder h) {
    Reconciliation rec = report.rec;
    boolean over = report.unexplainedOverThreshold();
    h.append(String.format("<p class=\"%s\">%s</p>", over ? "drift" : "ok", over
        ? String.format("%d window(s) drifted without a cause (threshold %d)", rec.unexplained(), report.maxUnexplained)
        : rec.drifted().isEmpty() ? "Every window live has closed equals the replay."
        : String.format("%d window(s) drifted, each with a cause", rec.drifted().size())));
    h.append("<table><tr>");
    rec.countsByKind().keySet().forEach(k -> h.append("<th>").append(k.label()).append("</th>"));
    h.append("<th>drift rate</th><th>unexplained</th></tr><tr>");
    rec.countsByKind().values().forEach(n -> h.append(String.format("<td>%,d</td>", n)));
    h.append(String.format("<td>%.2f%%</td><td class=\"%s\">%d (threshold %d)</td></tr></table>",
        100 * rec.driftRate(), over ? "drift" : "", rec.unexplained(), report.maxUnexplained));
  }

  /** Per currency: windows compared and drifted, and the live and replay totals (minor units). */
  private void currencies(StringBuilder h) {
    Map<String, long[]> byCurrency = new TreeMap<>();
    for (WindowVerdict v : report.rec.verdicts) {
      long[] t = byCurrency.computeIfAbsent(v.currency, c -> new long[4]);
      t[0]++;
      t[1] += v.kind.isDrift() ? 1 : 0;
      t[2] += v.liveExposure();
      t[3] += v.replayExposure();
    }
    h.append("<h2>Per currency</h2><table><tr><th class=\"l\">currency</th><th>windows</th><th>drifted</th>")
        .append("<th>live total</th><th>replay total</th><th>replay − live</th></tr>");
    byCurrency.forEach((c, t) -> h.append("<tr><td class=\"l\">").append(esc(c)).append("</td>")
        .append(String.format("<td>%,d</td><td class=\"%s\">%,d</td><td>%,d</td><td>%,d</td><td>%s</td></tr>",
            t[0], t[1] > 0 ? "drift" : "", t[1], t[2], t[3], signed(t[3] - t[2]))));
    h.append("</table>");
  }

  /** One chart per merchant and currency with drift: replay − live per window, as bars. */
  private void charts(StringBuilder h) {
    Map<String, List<WindowVerdict>> series = new TreeMap<>();
    for (WindowVerdict v : report.rec.verdicts) {
      series.computeIfAbsent(v.merchantId + " " + v.currency, k -> new ArrayList<>()).add(v);
    }
    List<Map.Entry<String, List<WindowVerdict>>> drifting = new ArrayList<>();
    series.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(v -> v.kind.isDrift()))
        .sorted(Comparator.comparingLong((Map.Entry<String, List<WindowVerdict>> e) -> -absDrift(e.getValue()))
            .thenComparing(Map.Entry::getKey))
        .forEach(drifting::add);
    h.append("<h2>Difference replay − live, per merchant</h2>");
    if (drifting.isEmpty()) {
      h.append(String.format("<p>No drift in any of the %,d merchant-currency series compared.</p>", series.size()));
      return;
    }
    h.append(String.format("<p class=\"note\">%,d of %,d merchant-currency series drifted%s. Red bars: a drifted "
        + "window, up where the replay is higher than live, down where it is lower, in minor units; grey ticks: "
        + "windows that match or are still open.</p>", drifting.size(), series.size(),
        drifting.size() > MAX_CHARTS ? "; the " + MAX_CHARTS + " largest are drawn" : ""));
    drifting.stream().limit(MAX_CHARTS).forEach(e -> chart(h, e.getKey(), e.getValue()));
  }

  private static long absDrift(List<WindowVerdict> windows) {
    return windows.stream().filter(v -> v.kind.isDrift()).mapToLong(v -> Math.abs(v.difference())).sum();
  }

  private void chart(StringBuilder h, String title, List<WindowVerdict> windows) {
    windows.sort(Comparator.comparingLong(v -> v.windowStart));
    long maxAbs = Math.max(1, windows.stream().mapToLong(v -> Math.abs(v.difference())).max().orElse(1));
    long drifted = windows.stream().filter(v -> v.kind.isDrift()).count();
    double plotW = WIDTH - LEFT - RIGHT;
    double half = (HEIGHT - TOP - BOTTOM) / 2.0;
    double zero = TOP + half;
    double slot = plotW / windows.size();
    double bar = Math.max(1, Math.min(18, slot * 0.7));
    h.append("<h3>").append(esc(title)).append(String.format(": %d drifted window(s) of %d, |difference| %s</h3>",
            drifted, windows.size(), String.format("%,d", absDrift(windows))))
        .append(String.format("<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "font-family=\"sans-serif\" font-size=\"11\">", WIDTH, HEIGHT))
        .append(String.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\"/>",
            LEFT, zero, WIDTH - RIGHT, zero))
        .append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
            LEFT, TOP, LEFT, HEIGHT - BOTTOM));
    for (long tick : new long[] {maxAbs, 0, -maxAbs}) {
      double y = zero - tick * half / maxAbs;
      h.append(String.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
          tick == 0 ? "0" : signed(tick)));
    }
    h.append(String.format("<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">"
        + "replay − live (minor units)</text>", zero, zero));
    for (int i = 0; i < windows.size(); i++) {
      WindowVerdict v = windows.get(i);
      double x = LEFT + i * slot + (slot - bar) / 2;
      String date = EventEncoder.isoUtc(v.windowStart).substring(0, 10);
      if (v.kind.isDrift()) {
        double len = Math.max(2, Math.abs(v.difference()) * half / maxAbs);
        double y = v.difference() >= 0 ? zero - len : zero;
        h.append(String.format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c62828\">"
            + "<title>%s: live %,d, replay %,d, difference %s (%s, %s)</title></rect>", x, y, bar, len, date,
            v.liveExposure(), v.replayExposure(), signed(v.difference()), v.kind.label(),
            v.cause == null ? "" : v.cause.label()));
      } else {
        h.append(String.format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"2\" fill=\"#bbb\">"
            + "<title>%s: %s</title></rect>", x, zero - 1, bar, date, v.kind.label()));
      }
    }
    for (int i : new TreeSet<>(List.of(0, windows.size() / 2, windows.size() - 1))) {
      double x = LEFT + (i + 0.5) * slot;
      h.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, HEIGHT - BOTTOM + 16,
          EventEncoder.isoUtc(windows.get(i).windowStart).substring(0, 10)));
    }
    h.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">window start (UTC)</text>",
        LEFT + plotW / 2, HEIGHT - 6));
    h.append("</svg>");
  }

  private String explainLink(WindowVerdict v) {
    String command = report.explainCommands.get(ProjectionUpsert.key(v.merchantId, v.currency, v.windowStart));
    if (command == null) {
      return "";
    }
    return "<a href=\"" + esc(Reconcile.explainFolder(v) + "/explain.html") + "\" title=\"" + esc(command)
        + "\">explain</a>";
  }

  private void drifted(StringBuilder h) {
    List<WindowVerdict> drift = report.rec.drifted();
    h.append("<h2>Drifted windows (").append(drift.size()).append(")</h2>");
    if (drift.isEmpty()) {
      h.append("<p>None: every window live has closed equals the replay.</p>");
      return;
    }
    h.append("<table><tr><th class=\"l\">merchant</th><th class=\"l\">currency</th><th class=\"l\">window</th>")
        .append("<th>live</th><th>replay</th><th>replay − live</th>")
        .append("<th class=\"l\">class</th><th class=\"l\">cause</th>")
        .append("<th class=\"l\">evidence</th><th class=\"l\">facts</th></tr>");
    for (WindowVerdict v : drift) {
      StringBuilder ev = new StringBuilder();
      v.evidence.forEach(e -> ev.append(esc(e.toString())).append("<br>"));
      h.append("<tr><td class=\"l\">").append(esc(v.merchantId)).append("</td><td class=\"l\">")
          .append(esc(v.currency)).append("</td><td class=\"l\">")
          .append("<span style=\"white-space:nowrap\">").append(EventEncoder.isoUtc(v.windowStart), 0, 10)
          .append("</span></td><td>")
          .append(String.format("%,d", v.liveExposure())).append("</td><td>")
          .append(String.format("%,d", v.replayExposure())).append("</td><td class=\"drift\">")
          .append(signed(v.difference())).append("</td><td class=\"l\">").append(v.kind.label())
          .append("</td><td class=\"l\">").append(v.cause.label()).append("</td><td class=\"l\">")
          .append(ev).append("</td><td class=\"l\">").append(explainLink(v)).append("</td></tr>");
    }
    h.append("</table><p class=\"note\">Each window's facts: the explanation its <code>explain</code> command "
        + "writes beside this report (hover the link for the command; <code>./exposure demo</code> runs it).</p>");
  }
}
