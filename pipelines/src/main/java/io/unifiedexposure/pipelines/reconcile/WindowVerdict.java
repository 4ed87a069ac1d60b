package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ProjectionRow;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One (merchant_id, currency, window): the live newest pane, the replay row, and what that means. */
public final class WindowVerdict implements RepairPlan.Target {
  /** The classes of a window. Only the last three are drift. */
  public enum Kind {
    MATCH("match"),
    OPEN("open"),
    MISSING_LIVE("missing-live"),
    MISSING_REPLAY("missing-replay"),
    VALUE_DRIFT("value-drift");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public boolean isDrift() {
      return this == MISSING_LIVE || this == MISSING_REPLAY || this == VALUE_DRIFT;
    }
  }

  public final String merchantId;
  public final String currency;
  public final long windowStart;
  public final long windowEnd;
  public final @Nullable ProjectionRow live;
  public final @Nullable ProjectionRow replay;
  public final Kind kind;
  /** The cause of a drift; null for a window that did not drift. */
  public final @Nullable Cause cause;
  /** Every piece of evidence about the window, whatever its cause. */
  public final List<Evidence> evidence;

  WindowVerdict(
      ProjectionRow any,
      @Nullable ProjectionRow live,
      @Nullable ProjectionRow replay,
      Kind kind,
      @Nullable Cause cause,
      List<Evidence> evidence) {
    this.merchantId = any.merchantId();
    this.currency = any.currency();
    this.windowStart = any.windowStart().getMillis();
    this.windowEnd = any.windowEnd().getMillis();
    this.live = live;
    this.replay = replay;
    this.kind = kind;
    this.cause = cause;
    this.evidence = evidence;
  }

  public long liveExposure() {
    return live == null ? 0 : live.exposureMinor();
  }

  public long replayExposure() {
    return replay == null ? 0 : replay.exposureMinor();
  }

  /** Replay minus live, in minor units: what a repair adds to the live value. */
  public long difference() {
    return replayExposure() - liveExposure();
  }

  @Override
  public String merchant() {
    return merchantId;
  }

  @Override
  public long start() {
    return windowStart;
  }

  @Override
  public long end() {
    return windowEnd;
  }

  /** Drift the replay can repair: an archive gap means the replay itself lacks facts. */
  @Override
  public boolean repairable() {
    return kind.isDrift() && cause != Cause.ARCHIVE_GAP;
  }
}
