package io.unifiedexposure.pipelines.explain;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.FactLineage;
import java.io.PrintStream;

/** One window's explanation on the console: what a person reads in a minute. */
final class ExplainConsole {
  private static final String ROW = "    %-24s  %-22s %-13s %12s %14s  %-24s  %s%s%n";

  private ExplainConsole() {}

  /**
   * A source as a person reads it: the Kafka coordinate a record was first read at when the archive
   * row names it ({@code file:…/part-x.parquet#12 (kafka:events/0@4759)}), else the file name and row.
   */
  static String shortSource(String source) {
    int open = source.lastIndexOf(" (kafka:");
    if (open >= 0 && source.endsWith(")")) {
      return source.substring(open + 2, source.length() - 1);
    }
    int slash = source.lastIndexOf('/');
    return slash >= 0 && source.startsWith("file:") ? source.substring(slash + 1) : source;
  }

  private static String shortWhy(FactLineage l) {
    return l.otherSource() == null ? WindowExplanation.why(l)
        : WindowExplanation.why(l).replace(l.otherSource(), shortSource(l.otherSource()));
  }

  /** One line per window of a range: answer, facts, live's value and the difference, the sum check. */
  static void summary(java.util.List<WindowExplanation> windows, PrintStream out) {
    out.printf("    %-8s %-3s %-10s %14s %6s %8s %14s %12s  %s%n", "merchant", "ccy", "window", "replay", "facts",
        "dropped", "live", "difference", "sum");
    for (WindowExplanation w : windows) {
      WindowExplanation.LivePane live = w.liveJobNewest();
      out.printf("    %-8s %-3s %-10s %,14d %,6d %,8d %14s %12s  %s%n", w.merchantId, w.currency,
          EventEncoder.isoUtc(w.windowStart).substring(0, 10), w.answerMinor(), w.steps.size(), w.notCounted.size(),
          live == null ? "-" : String.format("%,d", live.row.exposureMinor()),
          w.difference() == null ? "-" : WindowExplanation.signed(w.difference()),
          w.sumChecks() ? "checked" : "NOT EQUAL");
    }
  }

  static void print(WindowExplanation w, int maxRows, PrintStream out) {
    out.printf("%n  %s %s %s  (window [%s, %s), closes when the watermark passes %s)%n", w.merchantId, w.currency,
        EventEncoder.isoUtc(w.windowStart).substring(0, 10), EventEncoder.isoUtc(w.windowStart),
        EventEncoder.isoUtc(w.windowEnd), EventEncoder.isoUtc(w.expiry));
    out.printf("    answer (replay): %,d over %d fact(s); counted deltas sum to %,d over %d: %s%n",
        w.answerMinor(), w.answerFacts(), w.countedSum, w.countedFacts,
        w.sumChecks() ? "checked, equal" : "NOT EQUAL");
    WindowExplanation.LivePane newest = w.liveJobNewest();
    if (newest != null) {
      out.printf("    live: %d pane(s); the live job's newest pane_index %d %s = %,d over %d fact(s)%s; replay - live = %s%n",
          w.livePanes.size(), newest.row.paneIndex(), newest.row.paneTiming(), newest.row.exposureMinor(),
          newest.row.eventCount(),
          newest.publishedAt == null ? "" : ", published " + EventEncoder.isoUtc(newest.publishedAt),
          WindowExplanation.signed(w.difference()));
      StringBuilder panes = new StringBuilder("    live panes:");
      for (WindowExplanation.LivePane p : w.livePanes) {
        panes.append(String.format(" #%d %s %,d%s;", p.row.paneIndex(), p.row.paneTiming(), p.row.exposureMinor(),
            p == w.newestLive() ? " (upsert winner)" : ""));
      }
      out.println(panes);
    }
    out.printf("    facts that count, in receipt order (%d):%n", w.steps.size());
    out.printf(ROW, "received", "event_id", "type", "delta", "running total", "event time", "source", "");
    int head = maxRows / 2;
    int tailFrom = w.steps.size() - (maxRows - head);
    boolean gapPrinted = false;
    for (int i = 0; i < w.steps.size(); i++) {
      WindowExplanation.Step s = w.steps.get(i);
      boolean listed = w.steps.size() <= maxRows || i < head || i >= tailFrom || s.live != null;
      if (!listed) {
        if (!gapPrinted) {
          out.printf("    ... (%d more in explain.json / explain.html)%n", tailFrom - head);
          gapPrinted = true;
        }
        continue;
      }
      FactLineage f = s.fact;
      String corrects = f.event().correctsEventId() == null ? "" : "  corrects " + f.event().correctsEventId();
      out.printf(ROW, EventEncoder.isoUtc(f.receivedAtMillis()), f.event().eventId(), f.event().eventType(),
          WindowExplanation.signed(f.contributionMinor()), String.format("%,d", s.runningTotal),
          EventEncoder.isoUtc(f.event().eventTime().getMillis()), shortSource(f.source()),
          corrects + (s.live == null ? "" : "  <- " + s.live));
    }
    if (!w.notCounted.isEmpty()) {
      out.printf("    copies that do not count (%d):%n", w.notCounted.size());
      for (FactLineage l : w.notCounted) {
        out.printf("      %-22s %-13s %s  %s: %s%n", l.event().eventId(), l.outcome(),
            EventEncoder.isoUtc(l.receivedAtMillis()), shortSource(l.source()), shortWhy(l));
      }
    }
    if (!w.deadLetters.isEmpty()) {
      out.printf("    records live refused as invalid, naming this window (%d):%n", w.deadLetters.size());
      for (String[] d : w.deadLetters) {
        out.printf("      %s: %s%n", shortSource(d[0]), d[1]);
      }
    }
    String verdict = w.verdict();
    if (verdict != null) {
      out.printf("    => %s%n", verdict);
    }
  }
}
