package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.joda.time.Duration;

/**
 * Compares the live newest pane with the replay, window by window, inside a range.
 *
 * <ul>
 *   <li>{@code open}: the live window is not final yet, or live has no row for a window it cannot
 *       have closed yet (its expiry is not behind the live watermark); not drift.
 *   <li>{@code match}: the live final row equals the replay (exposure and fact count).
 *   <li>{@code value-drift}: both have a row and they differ.
 *   <li>{@code missing-live}: the replay has facts for a window the live job closed without a row.
 *   <li>{@code missing-replay}: the live job counted facts in a window the replay has none for.
 * </ul>
 *
 * The live watermark is known from the panes alone: a non-early pane means the watermark passed
 * its window end; a final pane means it passed the window's expiry.
 */
public final class Reconciler {
  private final long allowedLateness;
  private final BackfillRange range;

  public Reconciler(Duration allowedLateness, BackfillRange range) {
    this.allowedLateness = allowedLateness.getMillis();
    this.range = range;
  }

  public Reconciliation compare(
      Collection<ProjectionRow> livePanes, Collection<ProjectionRow> replayRows, EvidenceIndex evidence) {
    Map<String, ProjectionRow> live = ProjectionUpsert.newest(inRange(livePanes));
    Map<String, ProjectionRow> replay = ProjectionUpsert.newest(inRange(replayRows));
    long watermark = liveWatermarkAtLeast(livePanes);
    TreeSet<String> keys = new TreeSet<>(live.keySet());
    keys.addAll(replay.keySet());
    List<WindowVerdict> verdicts = new ArrayList<>();
    for (String key : keys) {
      ProjectionRow l = live.get(key);
      ProjectionRow r = replay.get(key);
      ProjectionRow any = l != null ? l : r;
      WindowVerdict.Kind kind = classify(l, r, expiry(any) < watermark);
      List<Evidence> found = evidence.forWindow(key);
      verdicts.add(new WindowVerdict(any, l, r, kind, kind.isDrift() ? cause(found) : null, found));
    }
    return new Reconciliation(verdicts, watermark, evidence.unplaced());
  }

  private static WindowVerdict.Kind classify(ProjectionRow live, ProjectionRow replay, boolean liveClosedIt) {
    if (live == null) {
      return liveClosedIt ? WindowVerdict.Kind.MISSING_LIVE : WindowVerdict.Kind.OPEN;
    }
    if (!live.isFinal()) {
      return WindowVerdict.Kind.OPEN;
    }
    long replayExposure = replay == null ? 0 : replay.exposureMinor();
    long replayCount = replay == null ? 0 : replay.eventCount();
    if (live.exposureMinor() == replayExposure && live.eventCount() == replayCount) {
      return WindowVerdict.Kind.MATCH;
    }
    return replay == null ? WindowVerdict.Kind.MISSING_REPLAY : WindowVerdict.Kind.VALUE_DRIFT;
  }

  /** The first cause, in {@link Cause} order, that some evidence supports. */
  private static Cause cause(List<Evidence> found) {
    Cause best = Cause.UNEXPLAINED;
    for (Evidence e : found) {
      if (e.cause.ordinal() < best.ordinal()) {
        best = e.cause;
      }
    }
    return best;
  }

  /** The latest instant the live watermark is known to have passed, from the panes published. */
  long liveWatermarkAtLeast(Collection<ProjectionRow> panes) {
    long w = Long.MIN_VALUE;
    for (ProjectionRow p : panes) {
      if (p.paneTiming() == PaneTiming.REPAIR) {
        continue;
      }
      if (p.isFinal()) {
        w = Math.max(w, expiry(p));
      } else if (p.paneTiming() != PaneTiming.EARLY) {
        w = Math.max(w, p.windowEnd().getMillis() - 1);
      }
    }
    return w;
  }

  private long expiry(ProjectionRow row) {
    return row.windowEnd().getMillis() - 1 + allowedLateness;
  }

  private List<ProjectionRow> inRange(Collection<ProjectionRow> rows) {
    List<ProjectionRow> in = new ArrayList<>();
    for (ProjectionRow r : rows) {
      if (range.selects(r.windowStart().getMillis(), r.merchantId())
          && r.windowEnd().getMillis() <= range.toMillis()) {
        in.add(r);
      }
    }
    return in;
  }
}
