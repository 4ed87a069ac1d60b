package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.EvidenceSources.signed;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.pipelines.format.ConvertedRecords;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.joda.time.Duration;

/**
 * Compares live's newest converted row with the replay's, per (merchant, window), inside a range,
 * by the native comparison's classes ({@link Reconciler}); a row matches when its exposure, its
 * facts and its missing rates are the replay's. A drifted day is explained by a native window of
 * the same merchant and day that drifted, else by a rate live refused as beyond lateness for one of
 * its currencies that day ({@link LateFxRates}), else it is unexplained.
 */
final class ConvertedReconciler {
  private final long allowedLateness;
  private final BackfillRange range;

  ConvertedReconciler(Duration allowedLateness, BackfillRange range) {
    this.allowedLateness = allowedLateness.getMillis();
    this.range = range;
  }

  List<ConvertedVerdict> compare(
      Collection<ConvertedRow> livePanes,
      Collection<ConvertedRow> replayRows,
      Reconciliation nativeVerdicts,
      LateFxRates lateRates) {
    Map<String, ConvertedRow> live = newest(livePanes);
    Map<String, ConvertedRow> replay = newest(replayRows);
    Map<String, List<String>> nativeDrift = new TreeMap<>();
    Set<String> archiveGaps = new TreeSet<>();
    for (WindowVerdict v : nativeVerdicts.drifted()) {
      nativeDrift.computeIfAbsent(v.merchantId + "|" + v.windowStart, k -> new ArrayList<>())
          .add(v.currency + " row drifted (" + v.cause.label() + ", " + signed(v.difference()) + ")");
      if (v.cause == Cause.ARCHIVE_GAP) {
        archiveGaps.add(v.merchantId + "|" + v.windowStart);
      }
    }
    TreeSet<String> keys = new TreeSet<>(live.keySet());
    keys.addAll(replay.keySet());
    List<ConvertedVerdict> verdicts = new ArrayList<>();
    for (String key : keys) {
      ConvertedRow l = live.get(key);
      ConvertedRow r = replay.get(key);
      ConvertedRow any = l != null ? l : r;
      long expiry = any.windowEnd().getMillis() - 1 + allowedLateness;
      WindowVerdict.Kind kind = classify(l, r, expiry < nativeVerdicts.liveWatermarkAtLeast);
      ConvertedVerdict.Cause cause = null;
      List<String> evidence = new ArrayList<>(nativeDrift.getOrDefault(any.merchantId() + "|" + any.windowStart().getMillis(), List.of()));
      boolean fromNative = !evidence.isEmpty();
      TreeSet<String> currencies = new TreeSet<>(any.currencies());
      if (l != null && r != null) {
        currencies.addAll(l == any ? r.currencies() : l.currencies());
      }
      for (String currency : currencies) {
        evidence.addAll(lateRates.of(currency, any.windowStart().getMillis()));
      }
      if (kind.isDrift()) {
        cause = fromNative ? ConvertedVerdict.Cause.NATIVE_DRIFT
            : evidence.isEmpty() ? ConvertedVerdict.Cause.UNEXPLAINED : ConvertedVerdict.Cause.RATE_BEYOND_LATENESS;
      }
      verdicts.add(new ConvertedVerdict(any, l, r, kind, cause, evidence,
          archiveGaps.contains(any.merchantId() + "|" + any.windowStart().getMillis())));
    }
    return verdicts;
  }

  private static WindowVerdict.Kind classify(ConvertedRow live, ConvertedRow replay, boolean liveClosedIt) {
    if (live == null) {
      return liveClosedIt ? WindowVerdict.Kind.MISSING_LIVE : WindowVerdict.Kind.OPEN;
    }
    if (!live.isFinal()) {
      return WindowVerdict.Kind.OPEN;
    }
    if (replay == null) {
      return WindowVerdict.Kind.MISSING_REPLAY;
    }
    boolean same = live.exposureMinor() == replay.exposureMinor()
        && live.eventCount() == replay.eventCount()
        && live.missingRates().equals(replay.missingRates());
    return same ? WindowVerdict.Kind.MATCH : WindowVerdict.Kind.VALUE_DRIFT;
  }

  /** The highest pane per (merchant, window) in range. */
  private Map<String, ConvertedRow> newest(Collection<ConvertedRow> rows) {
    List<ConvertedRow> in = new ArrayList<>();
    for (ConvertedRow r : rows) {
      if (range.selects(r.windowStart().getMillis(), r.merchantId()) && r.windowEnd().getMillis() <= range.toMillis()) {
        in.add(r);
      }
    }
    return ConvertedRecords.newest(in);
  }

}
