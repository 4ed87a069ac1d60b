package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.FxRateDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * FX rate records decoded by their contract ({@link FxRateDecoder}): a valid rate goes on keyed by
 * its (currency, day) and stamped with its day's start (its event time); an invalid one is a dead
 * letter with every reason.
 */
final class DecodeFxRates extends DoFn<RawRecord, KV<String, CurrencyDayInput>> {
  static final TupleTag<KV<String, CurrencyDayInput>> VALID = new TupleTag<KV<String, CurrencyDayInput>>() {};
  static final TupleTag<DeadLetter> INVALID = new TupleTag<DeadLetter>() {};

  private final String reportingCurrency;
  private final Counter in = ExposureMetrics.counter(ExposureMetrics.FX_RATES_IN);
  private final Counter invalid = ExposureMetrics.counter(ExposureMetrics.FX_RATES_INVALID);
  private transient FxRateDecoder decoder;

  DecodeFxRates(String reportingCurrency) {
    this.reportingCurrency = reportingCurrency;
  }

  @Setup
  public void setup() {
    decoder = new FxRateDecoder(reportingCurrency);
  }

  @ProcessElement
  public void process(@Element RawRecord raw, MultiOutputReceiver out) {
    in.inc();
    FxRateDecoder.Result result = decoder.decode(raw);
    if (result.isValid()) {
      FxRate rate = result.rate;
      out.get(VALID)
          .outputWithTimestamp(
              KV.of(ConvertedExposure.currencyDay(rate.currency(), rate.dayStartMillis()), CurrencyDayInput.rate(rate)),
              new Instant(rate.dayStartMillis()));
    } else {
      invalid.inc();
      out.get(INVALID).output(DeadLetter.of(raw, result.problems));
    }
  }

  /** Rates are stamped with their day's start, which may be earlier than the source's stamp. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
