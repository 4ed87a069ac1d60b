package io.unifiedexposure.tools.demo;

import io.unifiedexposure.pipelines.reconcile.Reconciliation;
import io.unifiedexposure.pipelines.reconcile.WindowVerdict;
import java.io.PrintStream;

/**
 * The reconcile verdicts as a table a person scans: per (merchant_id, currency, day), the live
 * newest pane, the replay row and the window's class ({@code open}: the live run has not closed it).
 */
final class SideBySide {
  private static final String FORMAT = "%-8s %-4s %-10s | %15s %6s %-12s | %15s %6s | %s%n";

  private SideBySide() {}

  static void print(Reconciliation rec, PrintStream out) {
    out.printf(FORMAT, "merchant", "ccy", "day", "live exposure", "facts", "pane", "replay exposure", "facts", "class");
    out.println("-".repeat(104));
    for (WindowVerdict v : rec.verdicts) {
      out.printf(FORMAT,
          v.merchantId, v.currency, io.unifiedexposure.contract.EventEncoder.isoUtc(v.windowStart).substring(0, 10),
          v.live == null ? "-" : String.format("%,d", v.live.exposureMinor()),
          v.live == null ? "-" : Long.toString(v.live.eventCount()),
          v.live == null ? "" : "#" + v.live.paneIndex() + " " + (v.live.isFinal() ? "final" : v.live.paneTiming()),
          v.replay == null ? "-" : String.format("%,d", v.replay.exposureMinor()),
          v.replay == null ? "-" : Long.toString(v.replay.eventCount()),
          v.kind.isDrift() ? v.kind.label().toUpperCase() + " (" + v.cause.label() + ")" : v.kind.label());
    }
    out.println("-".repeat(104));
  }
}
