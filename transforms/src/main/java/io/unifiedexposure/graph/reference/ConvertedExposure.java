package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Converted daily exposure, inside the one graph and the same on both of its paths: the native
 * projection rows (per merchant, currency and day) joined by event time with the FX rates of their
 * currency and day, then summed per (merchant, day) in the reporting currency.
 *
 * <pre>
 *   FX rate records ─ DecodeFxRates ─┬─ invalid ──────────────────────────────────→ DEAD_LETTERS
 *                                    └─ RatesWithinLateness ─┬─ beyond lateness ──→ DEAD_LETTERS
 *                                                            └─ RatesInGlobalWindow ─┐
 *   native rows ─ KeyRowByCurrencyDay ─ RowsInGlobalWindow ──────────────────────────┴─ RatesAndRows
 *        ─ JoinRatesPerCurrencyDay ─┬─ refused (conflicting copies) ───────────────→ DEAD_LETTERS
 *                                   └─ parts ─ SumPerMerchantDay ─────────────────→ CONVERTED
 *   (bounded input: GroupByCurrencyDay ─ JoinRatesOnce ─ KeyByMerchantDayShard ─ GroupByMerchantDayShard
 *    ─ SumPerMerchantDayOnce)
 *   (if asked) decoded rates ─ ValidFxRatesAsReceived ──────────────────────────────→ VALID_RATES
 * </pre>
 *
 * <p>Both stages are keyed and stateful in the global window, so the join's rules are this
 * composite's own and the runner drops nothing: the rate of a (currency, day) is its highest
 * version received before the day's window closed (a later one is dead-lettered as beyond lateness); a native row meets every rate version, in any
 * order, and the newest wins. Streaming input publishes a row per change (EARLY, ON_TIME, LATE) and
 * a final one when the window closes; bounded input one final row per (merchant, day), grouped once
 * per key instead of kept in state record by record (the rules shared: {@link FactVersions}, {@link
 * CurrencyPart#of}, {@link SumPerMerchantDay#row}), held equal by {@code ConvertedConvergenceSpec}.
 */
public final class ConvertedExposure extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** FX rate records (input). */
  public static final TupleTag<RawRecord> FX_RATES = new TupleTag<RawRecord>() {};
  /** Native projection rows, every pane (input). */
  public static final TupleTag<ProjectionRow> NATIVE_ROWS = new TupleTag<ProjectionRow>() {};
  /** Converted rows (output). */
  public static final TupleTag<ConvertedRow> CONVERTED = new TupleTag<ConvertedRow>() {};
  /** Refused FX rate records (output). */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  /** Every valid FX rate as received, copies included (output, when asked: what live archives). */
  public static final TupleTag<FxRate> VALID_RATES = new TupleTag<FxRate>() {};

  private static final TupleTag<KV<String, CurrencyDayInput>> RATES_ACCEPTED =
      new TupleTag<KV<String, CurrencyDayInput>>() {};
  private static final TupleTag<DeadLetter> RATES_BEYOND = new TupleTag<DeadLetter>() {};

  private final WindowGrid grid;
  private final String reportingCurrency;
  private final boolean bounded;
  private final boolean validRates;

  /** {@code validRates}: also hand out every valid rate as received ({@link #VALID_RATES}). */
  public ConvertedExposure(WindowGrid grid, String reportingCurrency, boolean bounded, boolean validRates) {
    this.grid = grid;
    this.reportingCurrency = reportingCurrency;
    this.bounded = bounded;
    this.validRates = validRates;
  }

  /** The join key of a (currency, day): currency codes are three letters, so the text is unambiguous. */
  static String currencyDay(String currency, long dayStartMillis) {
    return currency + "|" + dayStartMillis;
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    KvCoder<String, CurrencyDayInput> inputCoder = KvCoder.of(StringUtf8Coder.of(), CurrencyDayInput.Coder.INSTANCE);
    PCollectionTuple decoded =
        input
            .get(FX_RATES)
            .apply(
                "DecodeFxRates",
                ParDo.of(new DecodeFxRates(reportingCurrency))
                    .withOutputTags(DecodeFxRates.VALID, TupleTagList.of(DecodeFxRates.INVALID)));
    PCollectionTuple judged =
        decoded
            .get(DecodeFxRates.VALID)
            .setCoder(inputCoder)
            .apply(
                "RatesWithinLateness",
                ParDo.of(new ReferenceWithinLateness<>(RATES_ACCEPTED, RATES_BEYOND, grid, RateOf::fact,
                        ExposureMetrics.FX_RATES_BEYOND_LATENESS))
                    .withOutputTags(RATES_ACCEPTED, TupleTagList.of(RATES_BEYOND)));
    PCollection<KV<String, CurrencyDayInput>> rates =
        judged.get(RATES_ACCEPTED).setCoder(inputCoder).apply("RatesInGlobalWindow", global());
    PCollection<KV<String, CurrencyDayInput>> rows =
        input
            .get(NATIVE_ROWS)
            .apply("KeyRowByCurrencyDay", ParDo.of(new KeyRowByCurrencyDay()))
            .setCoder(inputCoder)
            .apply("RowsInGlobalWindow", global());
    PCollection<KV<String, CurrencyDayInput>> ratesAndRows =
        PCollectionList.of(rates).and(rows).apply("RatesAndRows", Flatten.pCollections());
    KvCoder<KV<String, Long>, CurrencyPart> partCoder =
        KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()), CurrencyPart.Coder.INSTANCE);
    TupleTagList refusedTag = TupleTagList.of(JoinRatesPerCurrencyDay.REFUSED);
    PCollectionTuple joined;
    PCollection<ConvertedRow> converted;
    if (bounded) {
      // Bounded input: every (currency, day) and (merchant, day) grouped once; the same rules.
      joined = ratesAndRows
          .apply("GroupByCurrencyDay", GroupByKey.create())
          .apply("JoinRatesOnce", ParDo.of(new JoinRatesOnce(reportingCurrency))
              .withOutputTags(JoinRatesPerCurrencyDay.PARTS, refusedTag));
      converted = joined.get(JoinRatesPerCurrencyDay.PARTS).setCoder(partCoder)
          .apply("KeyByMerchantDayShard", ParDo.of(new SumPerMerchantDayOnce.KeyByShard()))
          .setCoder(KvCoder.of(VarIntCoder.of(), partCoder))
          .apply("GroupByMerchantDayShard", GroupByKey.create())
          .apply("SumPerMerchantDayOnce", ParDo.of(new SumPerMerchantDayOnce(grid, reportingCurrency)));
    } else {
      joined = ratesAndRows.apply("JoinRatesPerCurrencyDay",
          ParDo.of(new JoinRatesPerCurrencyDay(grid, reportingCurrency)).withOutputTags(JoinRatesPerCurrencyDay.PARTS, refusedTag));
      converted = joined.get(JoinRatesPerCurrencyDay.PARTS).setCoder(partCoder)
          .apply("SumPerMerchantDay", ParDo.of(new SumPerMerchantDay(grid, reportingCurrency)));
    }
    converted.setCoder(ConvertedRow.coder());
    PCollection<DeadLetter> refused =
        PCollectionList.of(decoded.get(DecodeFxRates.INVALID).setCoder(DeadLetter.coder()))
            .and(judged.get(RATES_BEYOND).setCoder(DeadLetter.coder()))
            .and(joined.get(JoinRatesPerCurrencyDay.REFUSED).setCoder(DeadLetter.coder()))
            .apply("RefusedFxRates", Flatten.pCollections())
            .setCoder(DeadLetter.coder());
    PCollectionTuple out = PCollectionTuple.of(CONVERTED, converted).and(DEAD_LETTERS, refused);
    if (validRates) {
      out = out.and(
          VALID_RATES,
          decoded.get(DecodeFxRates.VALID).apply("ValidFxRatesAsReceived", ParDo.of(new RateOf())).setCoder(FxRate.coder()));
    }
    return out;
  }

  /** The rate a decoded input carries. */
  static final class RateOf extends org.apache.beam.sdk.transforms.DoFn<KV<String, CurrencyDayInput>, FxRate> {
    static io.unifiedexposure.contract.VersionedFact<?> fact(CurrencyDayInput in) {
      return in.rate;
    }

    @ProcessElement
    public void process(@Element KV<String, CurrencyDayInput> in, OutputReceiver<FxRate> out) {
      out.output(in.getValue().rate);
    }
  }

  /**
   * The window the reference data stages key their state in (both joins): global, every element
   * handed on as it comes, nothing dropped as late; their own rules decide lateness.
   */
  static <T> Window<T> global() {
    return Window.<T>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }
}
