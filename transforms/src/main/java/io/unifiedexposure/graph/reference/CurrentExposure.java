package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Current exposure ({@code merchant_exposure_current}), inside the one graph and the same on both
 * of its paths: per merchant and day, the converted exposure of the last N days beside the limit
 * in force ({@link CurrentWindow}), from the converted rows and the merchant limits, joined per
 * merchant by event time.
 *
 * <pre>
 *   limit records ─ DecodeMerchantLimits ─┬─ invalid ─────────────────────────────→ DEAD_LETTERS
 *                                         └─ LimitsWithinLateness ─┬─ beyond lateness → DEAD_LETTERS
 *                                                                  └─ LimitsInGlobalWindow ─┐
 *   converted rows ─ KeyConvertedByMerchant ─ DaysInGlobalWindow ───────────────────────────┴─ LimitsAndDays
 *        ─ TrackCurrentExposure ─┬─ refused (conflicting copies) ─────────────────────→ DEAD_LETTERS
 *                                ├─ rows ─────────────────────────────────────────────→ CURRENT
 *                                └─ rows of each merchant's newest day ───────────────→ LATEST
 *   (bounded input: KeyByMerchantShard ─ GroupByMerchantShard ─ CurrentExposureOnce)
 *   (if asked) decoded limits ─ ValidLimitsAsReceived ───────────────────────────────→ VALID_LIMITS
 * </pre>
 *
 * <p>A limit's versions follow the reference data rules ({@link FactVersions}, {@link
 * ReferenceWithinLateness}: a version received after the day it takes effect on closed is
 * dead-lettered). Held equal across paths by {@code CurrentConvergenceSpec}.
 */
public final class CurrentExposure extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** Merchant limit records (input). */
  public static final TupleTag<RawRecord> LIMITS = new TupleTag<RawRecord>() {};
  /** Converted rows, every pane (input). */
  public static final TupleTag<ConvertedRow> CONVERTED = new TupleTag<ConvertedRow>() {};
  /** Current rows of every merchant and day (output). */
  public static final TupleTag<CurrentRow> CURRENT = TrackCurrentExposure.ROWS;
  /** The rows of each merchant's newest day, in order: what a topic keyed by merchant keeps (output). */
  public static final TupleTag<CurrentRow> LATEST = TrackCurrentExposure.LATEST;
  /** Refused limit records (output). */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  /** Every valid limit as received, copies included (output, when asked: what live archives). */
  public static final TupleTag<MerchantLimit> VALID_LIMITS = new TupleTag<MerchantLimit>() {};

  private static final TupleTag<KV<String, MerchantInput>> LIMITS_ACCEPTED = new TupleTag<KV<String, MerchantInput>>() {};
  private static final TupleTag<DeadLetter> LIMITS_BEYOND = new TupleTag<DeadLetter>() {};

  private final WindowGrid grid;
  private final String reportingCurrency;
  private final CurrentWindow window;
  private final boolean bounded;
  private final boolean validLimits;

  public CurrentExposure(WindowGrid grid, String reportingCurrency, int days, boolean bounded, boolean validLimits) {
    this.grid = grid;
    this.reportingCurrency = reportingCurrency;
    this.window = new CurrentWindow(days, reportingCurrency);
    this.bounded = bounded;
    this.validLimits = validLimits;
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    KvCoder<String, MerchantInput> inputCoder = KvCoder.of(StringUtf8Coder.of(), MerchantInput.Coder.INSTANCE);
    PCollectionTuple decoded = input.get(LIMITS).apply("DecodeMerchantLimits",
        ParDo.of(new DecodeMerchantLimits(reportingCurrency))
            .withOutputTags(DecodeMerchantLimits.VALID, TupleTagList.of(DecodeMerchantLimits.INVALID)));
    PCollectionTuple judged = decoded.get(DecodeMerchantLimits.VALID).setCoder(inputCoder).apply("LimitsWithinLateness",
        ParDo.of(new ReferenceWithinLateness<>(LIMITS_ACCEPTED, LIMITS_BEYOND, grid, MerchantInput::fact,
                ExposureMetrics.LIMITS_BEYOND_LATENESS))
            .withOutputTags(LIMITS_ACCEPTED, TupleTagList.of(LIMITS_BEYOND)));
    PCollection<KV<String, MerchantInput>> limits =
        judged.get(LIMITS_ACCEPTED).setCoder(inputCoder).apply("LimitsInGlobalWindow", ConvertedExposure.global());
    PCollection<KV<String, MerchantInput>> days = input.get(CONVERTED)
        .apply("KeyConvertedByMerchant", ParDo.of(new KeyByMerchant()))
        .setCoder(inputCoder)
        .apply("DaysInGlobalWindow", ConvertedExposure.global());
    PCollection<KV<String, MerchantInput>> limitsAndDays =
        PCollectionList.of(limits).and(days).apply("LimitsAndDays", Flatten.pCollections());
    TupleTagList others = TupleTagList.of(TrackCurrentExposure.LATEST).and(TrackCurrentExposure.REFUSED);
    PCollectionTuple tracked;
    if (bounded) {
      tracked = limitsAndDays
          .apply("KeyByMerchantShard", ParDo.of(new CurrentExposureOnce.KeyByShard()))
          .setCoder(KvCoder.of(VarIntCoder.of(), inputCoder))
          .apply("GroupByMerchantShard", GroupByKey.create())
          .apply("CurrentExposureOnce", ParDo.of(new CurrentExposureOnce(window))
              .withOutputTags(TrackCurrentExposure.ROWS, others));
    } else {
      tracked = limitsAndDays.apply("TrackCurrentExposure",
          ParDo.of(new TrackCurrentExposure(grid, window)).withOutputTags(TrackCurrentExposure.ROWS, others));
    }
    PCollection<DeadLetter> refused =
        PCollectionList.of(decoded.get(DecodeMerchantLimits.INVALID).setCoder(DeadLetter.coder()))
            .and(judged.get(LIMITS_BEYOND).setCoder(DeadLetter.coder()))
            .and(tracked.get(TrackCurrentExposure.REFUSED).setCoder(DeadLetter.coder()))
            .apply("RefusedLimits", Flatten.pCollections())
            .setCoder(DeadLetter.coder());
    PCollectionTuple out = PCollectionTuple.of(CURRENT, tracked.get(TrackCurrentExposure.ROWS).setCoder(CurrentRow.coder()))
        .and(LATEST, tracked.get(TrackCurrentExposure.LATEST).setCoder(CurrentRow.coder()))
        .and(DEAD_LETTERS, refused);
    if (validLimits) {
      out = out.and(VALID_LIMITS, decoded.get(DecodeMerchantLimits.VALID)
          .apply("ValidLimitsAsReceived", ParDo.of(new LimitOf())).setCoder(MerchantLimit.coder()));
    }
    return out;
  }

  /** A converted row keyed by its merchant. */
  static final class KeyByMerchant extends DoFn<ConvertedRow, KV<String, MerchantInput>> {
    @ProcessElement
    public void process(@Element ConvertedRow row, OutputReceiver<KV<String, MerchantInput>> out) {
      out.output(KV.of(row.merchantId(), MerchantInput.day(row)));
    }
  }

  /** The limit a decoded input carries. */
  static final class LimitOf extends DoFn<KV<String, MerchantInput>, MerchantLimit> {
    @ProcessElement
    public void process(@Element KV<String, MerchantInput> in, OutputReceiver<MerchantLimit> out) {
      out.output(in.getValue().limit);
    }
  }
}
