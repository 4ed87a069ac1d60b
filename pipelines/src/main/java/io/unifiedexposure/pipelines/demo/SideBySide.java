package io.unifiedexposure.pipelines.demo;

import io.unifiedexposure.graph.ProjectionRow;
import io.unifiedexposure.graph.ProjectionUpsert;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Live newest pane against the replay, per (merchant_id, currency, window_start). A window the live
 * run has not closed yet is {@code OPEN}, not a difference.
 */
public final class SideBySide {
  public enum Status { MATCH, OPEN, DIFF, MISSING_LIVE, MISSING_REPLAY }

  /** One window's comparison. */
  public static final class Line {
    public final String key;
    public final ProjectionRow live;
    public final ProjectionRow replay;
    public final Status status;

    Line(String key, ProjectionRow live, ProjectionRow replay, Status status) {
      this.key = key;
      this.live = live;
      this.replay = replay;
      this.status = status;
    }
  }

  public final List<Line> lines = new ArrayList<>();

  public SideBySide(Collection<ProjectionRow> livePanes, Collection<ProjectionRow> replayRows) {
    Map<String, ProjectionRow> live = ProjectionUpsert.newest(livePanes);
    Map<String, ProjectionRow> replay = ProjectionUpsert.newest(replayRows);
    TreeSet<String> keys = new TreeSet<>(live.keySet());
    keys.addAll(replay.keySet());
    for (String k : keys) {
      ProjectionRow l = live.get(k);
      ProjectionRow r = replay.get(k);
      Status s;
      if (l == null) {
        s = Status.MISSING_LIVE;
      } else if (r == null) {
        s = Status.MISSING_REPLAY;
      } else if (!l.isFinal()) {
        s = Status.OPEN;
      } else if (l.exposureMinor() == r.exposureMinor() && l.eventCount() == r.eventCount()) {
        s = Status.MATCH;
      } else {
        s = Status.DIFF;
      }
      lines.add(new Line(k, l, r, s));
    }
  }

  public Map<Status, Integer> counts() {
    Map<Status, Integer> c = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      c.put(s, 0);
    }
    lines.forEach(l -> c.merge(l.status, 1, Integer::sum));
    return c;
  }

  /** True when every window the live run closed equals the replay. */
  public boolean closedWindowsAgree() {
    return lines.stream().noneMatch(l -> l.status == Status.DIFF || l.status == Status.MISSING_LIVE
        || l.status == Status.MISSING_REPLAY && l.live.isFinal());
  }

  public void print(PrintStream out) {
    out.printf("%-8s %-4s %-10s | %15s %6s %-12s | %15s %6s | %s%n",
        "merchant", "ccy", "day", "live exposure", "facts", "pane", "replay exposure", "facts", "status");
    out.println("-".repeat(104));
    for (Line l : lines) {
      ProjectionRow any = l.live != null ? l.live : l.replay;
      out.printf("%-8s %-4s %-10s | %15s %6s %-12s | %15s %6s | %s%n",
          any.merchantId(), any.currency(), any.windowStart().toString().substring(0, 10),
          l.live == null ? "-" : String.format("%,d", l.live.exposureMinor()),
          l.live == null ? "-" : Long.toString(l.live.eventCount()),
          l.live == null ? "" : "#" + l.live.paneIndex() + " " + (l.live.isFinal() ? "final" : l.live.paneTiming()),
          l.replay == null ? "-" : String.format("%,d", l.replay.exposureMinor()),
          l.replay == null ? "-" : Long.toString(l.replay.eventCount()),
          l.status);
    }
    out.println("-".repeat(104));
    Map<Status, Integer> c = counts();
    out.println("windows: " + new TreeMap<>(c).toString().replaceAll("[{}]", ""));
  }
}
