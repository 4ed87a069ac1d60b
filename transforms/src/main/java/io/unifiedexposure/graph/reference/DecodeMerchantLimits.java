package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.MerchantLimitDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Merchant limit records decoded by their contract ({@link MerchantLimitDecoder}): a valid limit
 * goes on keyed by its merchant and stamped with the start of the day it takes effect on; an
 * invalid one is a dead letter with every reason.
 */
final class DecodeMerchantLimits extends DoFn<RawRecord, KV<String, MerchantInput>> {
  static final TupleTag<KV<String, MerchantInput>> VALID = new TupleTag<KV<String, MerchantInput>>() {};
  static final TupleTag<DeadLetter> INVALID = new TupleTag<DeadLetter>() {};

  private final String reportingCurrency;
  private final Counter in = ExposureMetrics.counter(ExposureMetrics.LIMITS_IN);
  private final Counter invalid = ExposureMetrics.counter(ExposureMetrics.LIMITS_INVALID);
  private transient MerchantLimitDecoder decoder;

  DecodeMerchantLimits(String reportingCurrency) {
    this.reportingCurrency = reportingCurrency;
  }

  @Setup
  public void setup() {
    decoder = new MerchantLimitDecoder(reportingCurrency);
  }

  @ProcessElement
  public void process(@Element RawRecord raw, MultiOutputReceiver out) {
    in.inc();
    MerchantLimitDecoder.Result result = decoder.decode(raw);
    if (result.isValid()) {
      MerchantLimit limit = result.limit;
      out.get(VALID).outputWithTimestamp(
          KV.of(limit.merchantId(), MerchantInput.limit(limit)), new Instant(limit.dayStartMillis()));
    } else {
      invalid.inc();
      out.get(INVALID).output(DeadLetter.of(raw, result.problems));
    }
  }

  /** Limits are stamped with their day's start, which may be earlier than the source's stamp. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
