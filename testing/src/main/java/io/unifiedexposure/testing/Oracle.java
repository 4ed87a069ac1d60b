package io.unifiedexposure.testing;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.MerchantLimit;

import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.WindowGrid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer without Beam: one HashMap pass over received copies. For each event_id the copy
 * received first counts (ties: lower fingerprint), as the graph's rule says; exposure is summed per
 * (merchant, currency, window start).
 */
public final class Oracle {
  private Oracle() {}

  /** A copy as received: the event and its receipt time. */
  public static final class Copy {
    public final ExposureEvent event;
    public final long receivedAtMillis;

    public Copy(ExposureEvent event, long receivedAtMillis) {
      this.event = event;
      this.receivedAtMillis = receivedAtMillis;
    }
  }

  /** Totals keyed {@code merchant|currency|windowStartMillis}, value {exposure, distinct facts}. */
  public static Map<String, long[]> totals(List<Copy> copies, WindowGrid grid) {
    Map<String, Copy> winners = new HashMap<>();
    for (Copy c : copies) {
      Copy w = winners.get(c.event.eventId());
      if (w == null || wins(c, w)) {
        winners.put(c.event.eventId(), c);
      }
    }
    Map<String, long[]> totals = new TreeMap<>();
    for (Copy c : winners.values()) {
      ExposureEvent e = c.event;
      String key =
          ProjectionUpsert.key(e.merchantId(), e.currency(), grid.windowStart(e.eventTime().getMillis()));
      long[] t = totals.computeIfAbsent(key, k -> new long[2]);
      t[0] += e.exposureDelta();
      t[1] += 1;
    }
    return totals;
  }

  /**
   * Converted exposure without Beam, keyed {@code merchant|windowStartMillis}, as {@code "<minor
   * units> over <facts> facts, missing [currencies]"}: each (merchant, currency, day) total times the
   * day's rate (highest version; of two copies of one version the one received first), moved between
   * the currencies' ISO-4217 minor digits and rounded half to even, summed per (merchant, day);
   * currencies without a rate listed, not summed. Written apart from the graph's {@code Conversion}.
   */
  public static Map<String, String> converted(
      List<Copy> copies, List<FxRate> rates, WindowGrid grid, String reporting) {
    Map<String, FxRate> inForce = new HashMap<>();
    for (FxRate r : rates) {
      String key = r.currency() + "|" + r.dayStartMillis();
      FxRate w = inForce.get(key);
      if (w == null
          || r.version() > w.version()
          || (r.version() == w.version() && r.receivedAtMillis() < w.receivedAtMillis())) {
        inForce.put(key, r);
      }
    }
    Map<String, long[]> sums = new TreeMap<>();
    Map<String, java.util.TreeSet<String>> missing = new TreeMap<>();
    for (Map.Entry<String, long[]> t : totals(copies, grid).entrySet()) {
      String k = t.getKey();
      int last = k.lastIndexOf('|');
      int middle = k.lastIndexOf('|', last - 1);
      String merchant = k.substring(0, middle);
      String currency = k.substring(middle + 1, last);
      String start = k.substring(last + 1);
      String key = merchant + "|" + start;
      long[] sum = sums.computeIfAbsent(key, x -> new long[2]);
      missing.computeIfAbsent(key, x -> new java.util.TreeSet<>());
      sum[1] += t.getValue()[1];
      FxRate rate = inForce.get(currency + "|" + start);
      if (currency.equals(reporting)) {
        sum[0] += t.getValue()[0];
      } else if (rate == null) {
        missing.get(key).add(currency);
      } else {
        int shift = java.util.Currency.getInstance(reporting).getDefaultFractionDigits()
            - java.util.Currency.getInstance(currency).getDefaultFractionDigits();
        sum[0] += new java.math.BigDecimal(t.getValue()[0]).multiply(rate.rate()).movePointRight(shift)
            .setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
      }
    }
    Map<String, String> out = new TreeMap<>();
    sums.forEach((k, v) -> out.put(k, v[0] + " over " + v[1] + " facts, missing " + missing.get(k)));
    return out;
  }

  private static final long DAY = 86_400_000L;
  private static final java.util.regex.Pattern CONVERTED_VIEW =
      java.util.regex.Pattern.compile("(-?\\d+) over (\\d+) facts, missing \\[(.*)\\]");

  /**
   * The current rows a history should give, keyed {@code merchant|asOfDayStartMillis}, each {@code
   * "<exposure> over <facts> facts, missing [currencies], limit <minor>|none"}, from the converted
   * days {@link #converted} gives: for each day from a merchant's first converted day until {@code
   * days} after its last, where some converted day lies in the {@code days + 1} days ending with
   * it, the sum of the {@code days} days ending with it; the limit in force is, of the limits
   * taking effect before that day's end, the latest one's highest version (of two copies of one
   * version, the one received first). Written apart from the graph's {@code CurrentWindow}.
   */
  public static Map<String, String> current(Map<String, String> converted, List<MerchantLimit> limits, int days) {
    Map<String, TreeMap<Long, String>> byMerchant = new TreeMap<>();
    converted.forEach((k, v) -> {
      int bar = k.lastIndexOf('|');
      byMerchant.computeIfAbsent(k.substring(0, bar), x -> new TreeMap<>()).put(Long.parseLong(k.substring(bar + 1)), v);
    });
    Map<String, TreeMap<Long, MerchantLimit>> inForce = new TreeMap<>();
    for (MerchantLimit l : limits) {
      TreeMap<Long, MerchantLimit> m = inForce.computeIfAbsent(l.merchantId(), x -> new TreeMap<>());
      MerchantLimit w = m.get(l.effectiveFromMillis());
      if (w == null || l.version() > w.version()
          || (l.version() == w.version() && l.receivedAtMillis() < w.receivedAtMillis())) {
        m.put(l.effectiveFromMillis(), l);
      }
    }
    Map<String, String> out = new TreeMap<>();
    byMerchant.forEach((merchant, dayViews) -> {
      for (long d = dayViews.firstKey(); d <= dayViews.lastKey() + days * DAY; d += DAY) {
        if (dayViews.subMap(d - days * DAY, true, d, true).isEmpty()) {
          continue;
        }
        long exposure = 0;
        long facts = 0;
        java.util.TreeSet<String> missing = new java.util.TreeSet<>();
        for (String view : dayViews.subMap(d - (days - 1) * DAY, true, d, true).values()) {
          java.util.regex.Matcher m = CONVERTED_VIEW.matcher(view);
          if (!m.matches()) {
            throw new IllegalStateException("not a converted view: " + view);
          }
          exposure += Long.parseLong(m.group(1));
          facts += Long.parseLong(m.group(2));
          for (String c : m.group(3).split(", ")) {
            if (!c.isEmpty()) {
              missing.add(c);
            }
          }
        }
        Map.Entry<Long, MerchantLimit> limit =
            inForce.getOrDefault(merchant, new TreeMap<>()).lowerEntry(d + DAY);
        out.put(merchant + "|" + d, exposure + " over " + facts + " facts, missing " + missing + ", limit "
            + (limit == null ? "none" : Long.toString(limit.getValue().limitMinor())));
      }
    });
    return out;
  }

  private static boolean wins(Copy c, Copy w) {
    if (c.receivedAtMillis != w.receivedAtMillis) {
      return c.receivedAtMillis < w.receivedAtMillis;
    }
    long fc = c.event.fingerprint();
    long fw = w.event.fingerprint();
    return fc != fw && Long.compareUnsigned(fc, fw) < 0;
  }
}
