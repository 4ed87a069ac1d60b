package io.unifiedexposure.graph.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The conversion and rounding rule, by cases a statement reader would check by hand. */
class ConversionTest {
  private static long convert(long minor, String currency, String rate, String to) {
    return Conversion.toReportingMinor(minor, currency, new BigDecimal(rate), to);
  }

  @Test
  void twoDigitCurrenciesMultiplyMinorUnitsByTheRate() {
    assertEquals(9_000, convert(10_000, "USD", "0.9", "EUR")); // 100.00 USD at 0.9 = 90.00 EUR
    assertEquals(-9_000, convert(-10_000, "USD", "0.9", "EUR")); // refunds convert too
  }

  @Test
  void minorDigitsMoveBetweenCurrencies() {
    assertEquals(615, convert(1_000, "JPY", "0.00615", "EUR")); // 1,000 JPY = 6.15 EUR
    assertEquals(163, convert(500, "KWD", "3.252", "EUR")); // 0.500 KWD = 1.626 EUR, rounded to 1.63
  }

  @Test
  void halvesRoundToEvenOnceAtTheEnd() {
    assertEquals(2, convert(5, "USD", "0.5", "EUR")); // 2.5 -> 2
    assertEquals(4, convert(7, "USD", "0.5", "EUR")); // 3.5 -> 4
    assertEquals(-2, convert(-5, "USD", "0.5", "EUR"));
    assertEquals(1, convert(1, "USD", "0.500000000001", "EUR")); // just above a half rounds up
  }
}
