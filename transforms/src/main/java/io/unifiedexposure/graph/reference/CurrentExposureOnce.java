package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.graph.ExposureMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Bounded input's current exposure, a shard of merchants at a time: each merchant's converted days
 * and limits (versions judged in receipt order, the order live met them in) give one final ON_TIME
 * row per day by the streaming path's rule ({@link CurrentWindow}); each merchant's last day's row
 * also goes to {@link TrackCurrentExposure#LATEST}. Grouped by shards of merchants, as {@link
 * SumPerMerchantDayOnce} is, for DirectRunner's cost per group.
 */
final class CurrentExposureOnce extends DoFn<KV<Integer, Iterable<KV<String, MerchantInput>>>, CurrentRow> {
  private final CurrentWindow window;
  private final FactVersions<MerchantLimit> versions = FactVersions.ofLimits();
  private final Counter rowsOut = ExposureMetrics.counter(ExposureMetrics.CURRENT_ROWS);

  CurrentExposureOnce(CurrentWindow window) {
    this.window = window;
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<KV<String, MerchantInput>>> shard, MultiOutputReceiver out) {
    Map<String, NavigableMap<Long, ConvertedRow>> days = new HashMap<>();
    Map<String, List<MerchantLimit>> offered = new HashMap<>();
    for (KV<String, MerchantInput> in : shard.getValue()) {
      MerchantInput v = in.getValue();
      if (v.day != null) {
        days.computeIfAbsent(in.getKey(), k -> new TreeMap<>())
            .merge(v.day.windowStart().getMillis(), v.day, (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
      } else {
        offered.computeIfAbsent(in.getKey(), k -> new ArrayList<>()).add(v.limit);
      }
    }
    offered.forEach((merchant, limits) -> {
      NavigableMap<Long, MerchantLimit> inForce = limitsInForce(limits, out);
      NavigableMap<Long, ConvertedRow> converted = days.get(merchant);
      if (converted == null) {
        return; // limits only: no fact, no row
      }
      rows(merchant, converted, inForce, out);
      days.remove(merchant);
    });
    days.forEach((merchant, converted) -> rows(merchant, converted, new TreeMap<>(), out));
  }

  private NavigableMap<Long, MerchantLimit> limitsInForce(List<MerchantLimit> limits, MultiOutputReceiver out) {
    limits.sort(Comparator.comparingLong(MerchantLimit::receivedAtMillis).thenComparing(MerchantLimit::source));
    NavigableMap<Long, MerchantLimit> inForce = new TreeMap<>();
    for (MerchantLimit limit : limits) {
      inForce.put(limit.effectiveFromMillis(), versions.judge(limit, inForce.get(limit.effectiveFromMillis()),
          out.get(TrackCurrentExposure.REFUSED)::output));
    }
    return inForce;
  }

  private void rows(String merchant, NavigableMap<Long, ConvertedRow> converted,
      NavigableMap<Long, MerchantLimit> limits, MultiOutputReceiver out) {
    CurrentRow last = null;
    for (long day = converted.firstKey(); day <= window.lastRowFor(converted.lastKey()); day += CurrentWindow.DAY) {
      if (window.exists(day, converted)) {
        last = window.row(merchant, day, converted, limits, PaneTiming.ON_TIME, 0, true);
        rowsOut.inc();
        out.get(TrackCurrentExposure.ROWS).output(last);
      }
    }
    out.get(TrackCurrentExposure.LATEST).output(last);
  }

  /** Keys a merchant's input by the shard of the merchant. */
  static final class KeyByShard extends DoFn<KV<String, MerchantInput>, KV<Integer, KV<String, MerchantInput>>> {
    @ProcessElement
    public void process(@Element KV<String, MerchantInput> in, OutputReceiver<KV<Integer, KV<String, MerchantInput>>> out) {
      out.output(KV.of(Math.floorMod(in.getKey().hashCode(), SumPerMerchantDayOnce.SHARDS), in));
    }
  }
}
