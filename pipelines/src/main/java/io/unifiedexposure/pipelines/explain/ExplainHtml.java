package io.unifiedexposure.pipelines.explain;

import static io.unifiedexposure.pipelines.format.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.EventDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The explanation as one self-contained HTML page, drawn from {@code explain.json} so the two never
 * differ: per window, the answer and the sum check, a timeline of the running total in receipt order
 * with the live panes marked at their publication, the facts that count, and the copies that do not,
 * each with why. No script, no external resource.
 */
final class ExplainHtml {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 240;
  private static final int LEFT = 110;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 40;

  private ExplainHtml() {}

  static String render(JsonNode root) {
    JsonNode q = root.path("explained");
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>exposure explain ")
        .append(esc(q.path("merchant_id").asText())).append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}")
        .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}")
        .append("td.l,th.l{text-align:left}.drift{color:#c00;font-weight:bold}.ok{color:#2a7d2a;font-weight:bold}")
        .append("tr.missed td{background:#fdecea}p.note{color:#555;margin:.2em 0}")
        .append("</style></head><body><h1>Why ").append(esc(q.path("merchant_id").asText())).append(" has these numbers</h1><table>");
    q.fields().forEachRemaining(e -> h.append("<tr><th class=\"l\">").append(esc(e.getKey().replace('_', ' ')))
        .append("</th><td class=\"l\">").append(esc(e.getValue().asText())).append("</td></tr>"));
    h.append("</table>");
    boolean ok = root.path("all_sums_check").asBoolean();
    h.append(String.format("<p class=\"%s\">%s</p>", ok ? "ok" : "drift", ok
        ? "Every window's counted deltas sum exactly to the replay's answer."
        : "A window's counted deltas do not sum to the replay's answer."));
    for (JsonNode w : root.path("windows")) {
      window(h, w);
    }
    return h.append("</body></html>\n").toString();
  }

  private static void window(StringBuilder h, JsonNode w) {
    h.append("<h2>").append(esc(w.path("merchant_id").asText() + " " + w.path("currency").asText() + " "
        + w.path("window_start").asText().substring(0, 10))).append("</h2>");
    JsonNode check = w.path("check");
    h.append(String.format("<p>Replay's answer <b>%,d</b> over %d fact(s); counted deltas sum to %,d over %d: "
            + "<span class=\"%s\">%s</span>. The window closes when the watermark passes %s.</p>",
        w.path("answer").path("exposure_minor").asLong(), w.path("answer").path("event_count").asLong(),
        check.path("counted_sum_minor").asLong(), check.path("counted_facts").asLong(),
        check.path("equals_answer").asBoolean() ? "ok" : "drift",
        check.path("equals_answer").asBoolean() ? "checked, equal" : "NOT EQUAL", esc(w.path("window_closes").asText())));
    if (w.has("difference_minor")) {
      h.append(String.format("<p class=\"%s\">The live job's newest pane (pane_index %d): replay − live = %s; %s.</p>",
          w.path("difference_minor").asLong() == 0 ? "ok" : "drift", w.path("live_newest_pane_index").asLong(),
          String.format("%+,d", w.path("difference_minor").asLong()), esc(w.path("verdict").asText())));
    } else if (w.has("verdict")) {
      h.append("<p>").append(esc(w.path("verdict").asText())).append(".</p>");
    }
    timeline(h, w);
    livePanes(h, w);
    h.append("<h3>Facts that count, in receipt order</h3><table><tr><th class=\"l\">received</th>"
        + "<th class=\"l\">event_id</th><th class=\"l\">type</th><th>delta</th><th>running total</th>"
        + "<th class=\"l\">event time</th><th class=\"l\">source</th><th class=\"l\">note</th></tr>");
    for (JsonNode f : w.path("facts")) {
      String note = (f.has("corrects_event_id") ? "corrects " + f.path("corrects_event_id").asText() + " " : "")
          + f.path("live").asText("");
      h.append(f.has("live") ? "<tr class=\"missed\">" : "<tr>")
          .append(cell(f.path("received_at").asText())).append(cell(f.path("event_id").asText()))
          .append(cell(f.path("event_type").asText()))
          .append("<td>").append(String.format("%+,d", f.path("delta_minor").asLong())).append("</td><td>")
          .append(String.format("%,d", f.path("running_total_minor").asLong())).append("</td>")
          .append(cell(f.path("event_time").asText())).append(source(f.path("source").asText())).append(cell(note))
          .append("</tr>");
    }
    h.append("</table>");
    if (w.path("not_counted").size() > 0) {
      h.append("<h3>Copies that do not count</h3><table><tr><th class=\"l\">received</th><th class=\"l\">event_id"
          + "</th><th class=\"l\">outcome</th><th class=\"l\">source</th><th class=\"l\">why</th></tr>");
      for (JsonNode f : w.path("not_counted")) {
        h.append("<tr>").append(cell(f.path("received_at").asText())).append(cell(f.path("event_id").asText()))
            .append(cell(f.path("outcome").asText())).append(source(f.path("source").asText()))
            .append(cell(f.path("why").asText())).append("</tr>");
      }
      h.append("</table>");
    }
    if (w.path("dead_letters").size() > 0) {
      h.append("<h3>Records live refused as invalid, naming this window</h3><table><tr><th class=\"l\">source</th>"
          + "<th class=\"l\">reasons</th><th class=\"l\">payload</th></tr>");
      for (JsonNode d : w.path("dead_letters")) {
        h.append("<tr>").append(cell(d.path("source").asText())).append(cell(d.path("reasons").asText()))
            .append(cell(d.path("payload").asText())).append("</tr>");
      }
      h.append("</table>");
    }
  }

  /** Every pane live published for the window, the upsert winner (highest pane_index) marked. */
  private static void livePanes(StringBuilder h, JsonNode w) {
    JsonNode panes = w.path("live_panes");
    if (panes.size() == 0) {
      return;
    }
    h.append("<h3>Live panes</h3><table><tr><th>pane_index</th><th class=\"l\">timing</th><th>exposure</th>"
        + "<th>facts</th><th class=\"l\">final</th><th class=\"l\">published</th><th class=\"l\"></th></tr>");
    for (int i = 0; i < panes.size(); i++) {
      JsonNode p = panes.get(i);
      h.append("<tr><td>").append(p.path("pane_index").asLong()).append("</td>")
          .append(cell(p.path("pane_timing").asText()))
          .append(String.format("<td>%,d</td><td>%,d</td>", p.path("exposure_minor").asLong(),
              p.path("event_count").asLong()))
          .append(cell(p.path("is_final").asBoolean() ? "final" : ""))
          .append(cell(p.path("published_at").asText("")))
          .append(cell(i == panes.size() - 1 ? "upsert winner" : "")).append("</tr>");
    }
    h.append("</table>");
  }

  /**
   * The running total after each counted fact, by receipt time (a step line), the facts live missed
   * in red, and the live panes as blue squares at their publication (a dashed line at the newest
   * value when a snapshot gives no publication times).
   */
  private static void timeline(StringBuilder h, JsonNode w) {
    List<long[]> steps = new ArrayList<>();
    List<Boolean> missed = new ArrayList<>();
    for (JsonNode f : w.path("facts")) {
      steps.add(new long[] {time(f.path("received_at").asText()), f.path("running_total_minor").asLong()});
      missed.add(f.has("live"));
    }
    if (steps.isEmpty()) {
      return;
    }
    // Panes at the receipt position they were published at: after the facts received before them.
    List<double[]> panes = new ArrayList<>();
    Long newestValue = null;
    for (JsonNode p : w.path("live_panes")) {
      newestValue = p.path("exposure_minor").asLong();
      if (p.has("published_at")) {
        long at = time(p.path("published_at").asText());
        int before = 0;
        while (before < steps.size() && steps.get(before)[0] <= at) {
          before++;
        }
        panes.add(new double[] {before - 0.5, newestValue, p.path("pane_index").asLong()});
      }
    }
    long v0 = 0;
    long v1 = 0;
    for (long[] s : steps) {
      v0 = Math.min(v0, s[1]);
      v1 = Math.max(v1, s[1]);
    }
    if (newestValue != null) {
      for (JsonNode p : w.path("live_panes")) {
        v0 = Math.min(v0, p.path("exposure_minor").asLong());
        v1 = Math.max(v1, p.path("exposure_minor").asLong());
      }
    }
    long range = Math.max(1, v1 - v0);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    final long vmin = v0;
    final int n = steps.size();
    java.util.function.DoubleUnaryOperator x = i -> LEFT + (i + 1) * plotW / (n + 1);
    java.util.function.LongToDoubleFunction y = v -> TOP + plotH - (v - vmin) * plotH / range;
    h.append("<h3>Running total in receipt order</h3><p class=\"note\">Black: the replay's running total after each "
            + "fact that counts, in the order received; red dots: facts live refused or missed; blue squares: live "
            + "panes, placed after the facts received before they were published.</p>")
        .append(String.format("<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "font-family=\"sans-serif\" font-size=\"11\">", WIDTH, HEIGHT))
        .append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT, TOP, LEFT,
            HEIGHT - BOTTOM))
        .append(String.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ccc\"/>", LEFT,
            y.applyAsDouble(0), WIDTH - RIGHT, y.applyAsDouble(0)));
    for (long tick : new long[] {v0, v1}) {
      h.append(String.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%,d</text>", LEFT - 6,
          y.applyAsDouble(tick) + 4, tick));
    }
    h.append(String.format("<text x=\"%d\" y=\"%d\">1st</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">"
        + "%d-th fact received</text>", LEFT, HEIGHT - BOTTOM + 16, WIDTH - RIGHT, HEIGHT - BOTTOM + 16, n));
    StringBuilder path = new StringBuilder(String.format("M%.1f,%.1f", (double) LEFT, y.applyAsDouble(0)));
    for (int i = 0; i < n; i++) {
      path.append(String.format(" L%.1f,%.1f", x.applyAsDouble(i), y.applyAsDouble(steps.get(i)[1])));
    }
    h.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\"/>");
    for (int i = 0; i < n; i++) {
      if (missed.get(i)) {
        h.append(String.format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#c62828\"><title>missed by live: "
            + "running total %,d</title></circle>", x.applyAsDouble(i), y.applyAsDouble(steps.get(i)[1]), steps.get(i)[1]));
      }
    }
    for (double[] p : panes) {
      h.append(String.format("<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"#1565c0\"><title>live "
          + "pane %d: %,d</title></rect>", x.applyAsDouble(p[0]) - 4, y.applyAsDouble((long) p[1]) - 4, (long) p[2],
          (long) p[1]));
    }
    if (panes.isEmpty() && newestValue != null) {
      h.append(String.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#1565c0\" "
          + "stroke-dasharray=\"6 4\"><title>live's newest pane: %,d</title></line>", LEFT,
          y.applyAsDouble(newestValue), WIDTH - RIGHT, y.applyAsDouble(newestValue), newestValue));
    }
    h.append("</svg>");
  }

  private static long time(String iso) {
    return EventDecoder.parseEventTime(iso);
  }

  /** A source shortened as on the console, the whole of it on hover. */
  private static String source(String full) {
    return "<td class=\"l\" title=\"" + esc(full) + "\">" + esc(ExplainConsole.shortSource(full)) + "</td>";
  }

  private static String cell(String text) {
    return "<td class=\"l\">" + esc(text) + "</td>";
  }
}
