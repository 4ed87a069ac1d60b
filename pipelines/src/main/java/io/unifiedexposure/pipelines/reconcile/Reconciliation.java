package io.unifiedexposure.pipelines.reconcile;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The verdicts of one reconcile, and the figures a person reads first. */
public final class Reconciliation {
  public final List<WindowVerdict> verdicts;
  /** The latest instant the live watermark is known to have passed (Long.MIN_VALUE: none). */
  public final long liveWatermarkAtLeast;
  /** Evidence that could not be tied to a window. */
  public final List<Evidence> unplaced;

  Reconciliation(List<WindowVerdict> verdicts, long liveWatermarkAtLeast, List<Evidence> unplaced) {
    this.verdicts = verdicts;
    this.liveWatermarkAtLeast = liveWatermarkAtLeast;
    this.unplaced = unplaced;
  }

  public Map<WindowVerdict.Kind, Integer> countsByKind() {
    Map<WindowVerdict.Kind, Integer> c = new EnumMap<>(WindowVerdict.Kind.class);
    for (WindowVerdict.Kind k : WindowVerdict.Kind.values()) {
      c.put(k, 0);
    }
    verdicts.forEach(v -> c.merge(v.kind, 1, Integer::sum));
    return c;
  }

  public Map<Cause, Integer> driftByCause() {
    Map<Cause, Integer> c = new EnumMap<>(Cause.class);
    drifted().forEach(v -> c.merge(v.cause, 1, Integer::sum));
    return c;
  }

  public List<WindowVerdict> drifted() {
    return verdicts.stream().filter(v -> v.kind.isDrift()).collect(Collectors.toList());
  }

  public long unexplained() {
    return verdicts.stream().filter(v -> v.kind.isDrift() && v.cause == Cause.UNEXPLAINED).count();
  }

  /** Windows the live job closed: every verdict but {@code open}. */
  public long closed() {
    return verdicts.stream().filter(v -> v.kind != WindowVerdict.Kind.OPEN).count();
  }

  /** Drifted windows over closed windows; 0 when none is closed. */
  public double driftRate() {
    long closed = closed();
    return closed == 0 ? 0 : (double) drifted().size() / closed;
  }

  /** The drifted windows with the largest absolute difference first. */
  public List<WindowVerdict> worst(int n) {
    return drifted().stream()
        .sorted(Comparator.comparingLong((WindowVerdict v) -> Math.abs(v.difference())).reversed())
        .limit(n)
        .collect(Collectors.toList());
  }
}
