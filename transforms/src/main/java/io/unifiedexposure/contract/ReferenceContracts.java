package io.unifiedexposure.contract;

/**
 * The reference data contracts, schema files beside the event contract's and read by the same rule
 * vocabulary ({@link EventContract}): what the graph joins facts with by event time.
 */
public final class ReferenceContracts {
  public static final String FX_RATE_RESOURCE = "/io/unifiedexposure/contract/fx_rate_v1.avsc";

  public static final String MERCHANT_LIMIT_RESOURCE = "/io/unifiedexposure/contract/merchant_limit_v1.avsc";

  private static final EventContract FX_RATE = EventContract.load(FX_RATE_RESOURCE);
  private static final EventContract MERCHANT_LIMIT = EventContract.load(MERCHANT_LIMIT_RESOURCE);

  private ReferenceContracts() {}

  /** FX rates: (currency, reporting_currency, day, rate, version). */
  public static EventContract fxRate() {
    return FX_RATE;
  }

  /** Merchant limits: (merchant_id, reporting_currency, effective_from, limit_minor, version). */
  public static EventContract merchantLimit() {
    return MERCHANT_LIMIT;
  }
}
