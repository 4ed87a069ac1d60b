package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ConvertedRow;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One (merchant_id, window) of converted exposure: live's newest row, the replay's, and what that
 * means; classes as a native window's ({@link WindowVerdict.Kind}), compared on exposure, facts and
 * missing rates.
 */
public final class ConvertedVerdict implements RepairPlan.Target {
  /** Why a converted day drifted, first that applies. */
  public enum Cause {
    /** A native window of the same merchant and day drifted: the converted day inherits it. */
    NATIVE_DRIFT("native-drift"),
    /** A rate for one of its currencies and that day reached live after the day closed (dead-lettered there). */
    RATE_BEYOND_LATENESS("rate-beyond-lateness"),
    UNEXPLAINED("unexplained");

    private final String label;

    Cause(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public final String merchantId;
  public final long windowStart;
  public final long windowEnd;
  public final @Nullable ConvertedRow live;
  public final @Nullable ConvertedRow replay;
  public final WindowVerdict.Kind kind;
  public final @Nullable Cause cause;
  /** What supports the cause, readable (e.g. {@code EUR row drifted (beyond-lateness)}). */
  public final List<String> evidence;
  /** Whether a native window it inherits drifted from an archive gap: the replay lacks facts too. */
  final boolean fromArchiveGap;

  ConvertedVerdict(
      ConvertedRow any,
      @Nullable ConvertedRow live,
      @Nullable ConvertedRow replay,
      WindowVerdict.Kind kind,
      @Nullable Cause cause,
      List<String> evidence,
      boolean fromArchiveGap) {
    this.merchantId = any.merchantId();
    this.windowStart = any.windowStart().getMillis();
    this.windowEnd = any.windowEnd().getMillis();
    this.live = live;
    this.replay = replay;
    this.kind = kind;
    this.cause = cause;
    this.evidence = evidence;
    this.fromArchiveGap = fromArchiveGap;
  }

  public long difference() {
    return (replay == null ? 0 : replay.exposureMinor()) - (live == null ? 0 : live.exposureMinor());
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

  /**
   * A converted drift is repaired by the backfill of its merchant and day, which reads the same
   * archives, rates included; not when a native window of that day drifted from an archive gap (the
   * replay lacks those facts too: restore the archive first).
   */
  @Override
  public boolean repairable() {
    return kind.isDrift() && !fromArchiveGap;
  }
}
