package io.unifiedexposure.testing;

import io.unifiedexposure.contract.FxRate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Seeded random FX rate versions for {@link RandomHistory}'s currencies and days, converting to
 * EUR: per (currency, day) none (about one in ten: a missing rate), or one to three versions, with
 * about 10% identical copies and 5% copies of a version that say another rate (a conflict the copy
 * received first wins). Rates have up to six decimals.
 */
public final class RandomRates {
  public static final String REPORTING = "EUR";
  private static final String[] CONVERTED = {"USD", "GBP"};
  private static final Instant START = Instant.parse("2025-07-01T00:00:00Z");

  private RandomRates() {}

  public static List<FxRate> generate(long seed, int days) {
    Random rnd = new Random(seed * 31 + 7);
    List<FxRate> out = new ArrayList<>();
    long received = START.getMillis() - 1_000_000; // receipt times of their own, distinct from the facts'
    for (String currency : CONVERTED) {
      for (int d = 0; d < days; d++) {
        if (rnd.nextDouble() < 0.10) {
          continue;
        }
        long day = START.plus(Duration.standardDays(d)).getMillis();
        int versions = 1 + rnd.nextInt(3);
        for (int v = 1; v <= versions; v++) {
          FxRate rate = FxRate.of(currency, REPORTING, day, rate(rnd), v, "rates#" + received, received++);
          out.add(rate);
          double roll = rnd.nextDouble();
          if (roll < 0.10) {
            out.add(FxRate.of(currency, REPORTING, day, rate.rate(), v, "rates#" + received, received++));
          } else if (roll < 0.15) {
            out.add(FxRate.of(currency, REPORTING, day, rate(rnd), v, "rates#" + received, received++));
          }
        }
      }
    }
    return out;
  }

  private static BigDecimal rate(Random rnd) {
    return BigDecimal.valueOf(500_000 + rnd.nextInt(1_000_000), 6); // 0.5 .. 1.5
  }
}
