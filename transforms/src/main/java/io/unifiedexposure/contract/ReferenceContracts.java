package io.unifiedexposure.contract;

/**
 * The reference data contracts, schema files beside the event contract's and read by the same rule
 * vocabulary ({@link EventContract}): what the graph joins facts with by event time.
 */
public final class ReferenceContracts {
  public static final String FX_RATE_RESOURCE = "/io/unifiedexposure/contract/fx_rate_v1.avsc";

  private static final EventContract FX_RATE = EventContract.load(FX_RATE_RESOURCE);

  private ReferenceContracts() {}

  /** FX rates: (currency, reporting_currency, day, rate, version). */
  public static EventContract fxRate() {
    return FX_RATE;
  }
}
