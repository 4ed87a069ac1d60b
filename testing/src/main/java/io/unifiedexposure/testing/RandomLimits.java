package io.unifiedexposure.testing;

import io.unifiedexposure.contract.MerchantLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.joda.time.Instant;

/**
 * Seeded random merchant limits for {@link RandomHistory}'s merchants, in EUR: per merchant none
 * (about one in five), or one to three limits taking effect at random instants (one before the
 * history starts, others mid-day within it), each in one or two versions, with about 10% identical
 * copies and 5% copies of a version that say another limit (a conflict the copy received first
 * wins). Amounts around a day's exposure, so some rows are over their limit and some not.
 */
public final class RandomLimits {
  private static final Instant START = Instant.parse("2025-07-01T00:00:00Z");
  private static final long DAY = 86_400_000L;

  private RandomLimits() {}

  public static List<MerchantLimit> generate(long seed, int merchants, int days) {
    Random rnd = new Random(seed * 17 + 3);
    List<MerchantLimit> out = new ArrayList<>();
    long received = START.getMillis() - 2_000_000;
    for (int m = 0; m < merchants; m++) {
      if (rnd.nextDouble() < 0.20) {
        continue;
      }
      int limits = 1 + rnd.nextInt(3);
      for (int l = 0; l < limits; l++) {
        long effective = l == 0 ? START.getMillis() - DAY : START.getMillis() + rnd.nextInt(days) * DAY + rnd.nextInt((int) DAY);
        int versions = 1 + rnd.nextInt(2);
        for (int v = 1; v <= versions; v++) {
          MerchantLimit limit = MerchantLimit.of("m" + m, RandomRates.REPORTING, effective, amount(rnd), v,
              "limits#" + received, received++);
          out.add(limit);
          double roll = rnd.nextDouble();
          if (roll < 0.10) {
            out.add(MerchantLimit.of(limit.merchantId(), RandomRates.REPORTING, effective, limit.limitMinor(), v,
                "limits#" + received, received++));
          } else if (roll < 0.15) {
            out.add(MerchantLimit.of(limit.merchantId(), RandomRates.REPORTING, effective, amount(rnd), v,
                "limits#" + received, received++));
          }
        }
      }
    }
    return out;
  }

  private static long amount(Random rnd) {
    return 200_000L + rnd.nextInt(3_000_000);
  }
}
