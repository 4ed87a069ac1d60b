package io.unifiedexposure.graph.reference;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * The conversion and rounding rule, in this one place: a (merchant, currency, day)'s native exposure
 * in minor units times that day's rate (reporting-currency units per unit of the currency), moved
 * between the two currencies' minor units (ISO-4217 digits, e.g. JPY 0, EUR 2, KWD 3), rounded once
 * to a whole minor unit of the reporting currency, half to even. A day's converted exposure is the
 * sum of these rounded amounts over its currencies, so each currency's part is exact on its own and
 * the sum never depends on the order parts arrive in. No floating point anywhere.
 */
public final class Conversion {
  public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

  private Conversion() {}

  /** {@code nativeMinor} of {@code currency} in minor units of {@code reportingCurrency}, rounded by {@link #ROUNDING}. */
  public static long toReportingMinor(long nativeMinor, String currency, BigDecimal rate, String reportingCurrency) {
    int shift = minorDigits(reportingCurrency) - minorDigits(currency);
    return BigDecimal.valueOf(nativeMinor)
        .multiply(rate)
        .scaleByPowerOfTen(shift)
        .setScale(0, ROUNDING)
        .longValueExact();
  }

  /** The currency's minor-unit digits by ISO-4217 (java.util.Currency); 0 for one without minor units. */
  static int minorDigits(String currency) {
    return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
  }
}
