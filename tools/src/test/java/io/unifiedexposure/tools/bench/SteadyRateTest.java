package io.unifiedexposure.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The measured span of a reader: its rate, and its rate per core it kept busy. */
class SteadyRateTest {
  @Test
  void aSpanGivesItsRateAndItsRatePerBusyCore() {
    SteadyRate.Span span = new SteadyRate.Span(200, 800, 2.0, 3.0);
    assertEquals(300.0, span.rate(), 1e-9);
    assertEquals(200.0, span.ratePerBusyCore(), 1e-9, "600 records over 3 CPU seconds");
    assertTrue(span.toString().contains("1.5 cores busy"), span.toString());
  }

  @Test
  void thereIsNoSpanBeforeTheReaderIsWarm() {
    SteadyRate rate = new SteadyRate(1000);
    rate.sample(100);
    assertNull(rate.span(3600), "one sample below 20% of the records and no warm-up time passed");
    rate.sample(300);
    rate.sample(900);
    SteadyRate.Span span = rate.span(3600);
    assertEquals(300, span.from);
    assertEquals(900, span.to);
  }
}
