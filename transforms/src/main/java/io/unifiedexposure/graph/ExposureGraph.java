package io.unifiedexposure.graph;

import com.google.auto.value.AutoValue;
import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FactKind;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.bounded.BoundedPath;
import io.unifiedexposure.graph.reference.ConvertedExposure;
import io.unifiedexposure.graph.reference.CurrentExposure;
import io.unifiedexposure.graph.rules.ExposureWindows;
import io.unifiedexposure.graph.rules.PathOutputs;
import io.unifiedexposure.graph.rules.PathSettings;
import io.unifiedexposure.graph.streaming.StreamingPath;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The one exposure graph: raw records in; projections, dead letters and beyond-lateness facts out.
 * No IO inside: the live launcher attaches it to Kafka, the replay launcher to Parquet archives.
 *
 * <pre>
 *   raw records ─ StreamingPath | BoundedPath ─┬─ projections ──────────────→ projections
 *                                              ├─ invalid ─┐
 *                                              ├─ conflicts ┴─ AllDeadLetters → deadLetters
 *                                              ├─ beyond lateness ─────────→ beyondLateness
 *                                              ├─ (if asked) valid events ─→ validEvents
 *                                              └─ (if asked) lineage ──────→ lineage
 * </pre>
 *
 * <p>Two execution paths apply the same rules ({@code graph.rules}): {@link StreamingPath} judges
 * record by record against the watermark, with early, on-time and late panes; {@link BoundedPath}
 * is a shortcut for bounded input (which has no late data), one pass per dedup shard and one pane
 * per window. Which one runs is chosen in one line of {@link #expand}, by whether the input is
 * bounded; the convergence specs hold both to the same answer.
 */
@AutoValue
public abstract class ExposureGraph extends PTransform<PCollection<RawRecord>, ExposureOutputs> {
  public static final Duration DEFAULT_WINDOW_SIZE = Duration.standardDays(1);
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardDays(3);
  public static final Duration DEFAULT_EARLY_FIRING_DELAY = Duration.standardSeconds(30);
  /**
   * How long the streaming dedup sums facts before handing them to the windows: a second adds at
   * most a second to a pane's delay and lets the window stage, Beam's costliest per element, take one
   * sum where it took every fact of a key.
   */
  public static final Duration DEFAULT_PRECOMBINE_INTERVAL = Duration.standardSeconds(1);
  /** Keys of event_id the streaming dedup is spread over: the most workers it can use. */
  public static final int DEFAULT_DEDUP_SHARDS = 64;
  /**
   * Dedup shards for bounded input, whatever {@link #dedupShards()} says: sixteen keys spread evenly
   * over 2, 4, 8 and 16 FlinkRunner batch workers ({@code DedupShardKeys}). More shards deliver their
   * window sums in more bundles, and DirectRunner then moved the watermark past some windows before
   * the rest of the input was in, so their one pane came out on time but not final
   * ({@code ConvergenceSpec} caught it at 64).
   */
  public static final int BOUNDED_DEDUP_SHARDS = 16;
  /** The launchers' reporting currency unless told otherwise ({@code --reportingCurrency}). */
  public static final String DEFAULT_REPORTING_CURRENCY = "EUR";
  /** Days a merchant's current exposure sums unless told otherwise ({@code --currentDays}). */
  public static final int DEFAULT_CURRENT_DAYS = 7;
  /** {@code --reportingCurrency=none}: no converted exposure. */
  public static final String NO_REPORTING_CURRENCY = "none";

  public abstract Duration windowSize();

  public abstract Duration allowedLateness();

  public abstract Duration earlyFiringDelay();

  public abstract int dedupShards();

  /** How long the streaming dedup sums facts per key and window before the windows; zero: at once. */
  public abstract Duration precombineInterval();

  /** Whether {@link ExposureOutputs#validEvents()} is built (what the live job archives). */
  public abstract boolean validEventsOutput();

  /** Whether {@link ExposureOutputs#lineage()} is built (what {@code explain} reads). */
  public abstract boolean lineageOutput();

  /**
   * The currency converted exposure is reported in ({@link ExposureOutputs#converted()}), or null:
   * then the graph takes events only and publishes no converted rows.
   */
  public abstract @Nullable String reportingCurrency();

  /** Days of converted exposure a current row sums ({@link ExposureOutputs#current()}). */
  public abstract int currentDays();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setWindowSize(Duration d);

    abstract Builder setAllowedLateness(Duration d);

    abstract Builder setEarlyFiringDelay(Duration d);

    abstract Builder setDedupShards(int n);

    abstract Builder setPrecombineInterval(Duration d);

    abstract Builder setValidEventsOutput(boolean on);

    abstract Builder setLineageOutput(boolean on);

    abstract Builder setReportingCurrency(@Nullable String currency);

    abstract Builder setCurrentDays(int days);

    abstract ExposureGraph build();
  }

  /** The graph with its defaults: 1-day windows, 3 days of lateness, early panes after 30 s. */
  public static ExposureGraph create() {
    return new AutoValue_ExposureGraph.Builder()
        .setWindowSize(DEFAULT_WINDOW_SIZE)
        .setAllowedLateness(DEFAULT_ALLOWED_LATENESS)
        .setEarlyFiringDelay(DEFAULT_EARLY_FIRING_DELAY)
        .setDedupShards(DEFAULT_DEDUP_SHARDS)
        .setPrecombineInterval(DEFAULT_PRECOMBINE_INTERVAL)
        .setValidEventsOutput(false)
        .setLineageOutput(false)
        .setReportingCurrency(null)
        .setCurrentDays(DEFAULT_CURRENT_DAYS)
        .build();
  }

  /** The graph configured from options; only plain values are kept. */
  public static ExposureGraph fromOptions(ExposureOptions options) {
    return create()
        .withWindowSize(IsoDurations.parse("windowSize", options.getWindowSize()))
        .withAllowedLateness(IsoDurations.parse("allowedLateness", options.getAllowedLateness()))
        .withEarlyFiringDelay(IsoDurations.parse("earlyFiringDelay", options.getEarlyFiringDelay()))
        .withDedupShards(options.getDedupShards())
        .withPrecombineInterval(IsoDurations.parse("precombineInterval", options.getPrecombineInterval()))
        .withCurrentDays(options.getCurrentDays())
        .withReportingCurrencyFrom(options.getReportingCurrency());
  }

  /** {@code --reportingCurrency} as a launcher gives it: {@code none}, or windows other than a day, turn it off. */
  private ExposureGraph withReportingCurrencyFrom(String currency) {
    if (currency == null || NO_REPORTING_CURRENCY.equals(currency) || !windowSize().equals(Duration.standardDays(1))) {
      return this;
    }
    return withReportingCurrency(currency);
  }

  public ExposureGraph withWindowSize(Duration size) {
    checkArg(size.getMillis() > 0, "--windowSize must be positive, was %s", size);
    checkArg(
        Duration.standardDays(1).getMillis() % size.getMillis() == 0
            || size.getMillis() % Duration.standardDays(1).getMillis() == 0,
        "--windowSize must divide a day or be whole days so windows align to UTC days, was %s",
        size);
    return toBuilder().setWindowSize(size).build();
  }

  public ExposureGraph withAllowedLateness(Duration lateness) {
    checkArg(lateness.getMillis() >= 0, "--allowedLateness must not be negative, was %s", lateness);
    return toBuilder().setAllowedLateness(lateness).build();
  }

  public ExposureGraph withEarlyFiringDelay(Duration delay) {
    checkArg(delay.getMillis() > 0, "--earlyFiringDelay must be positive, was %s", delay);
    return toBuilder().setEarlyFiringDelay(delay).build();
  }

  public ExposureGraph withDedupShards(int shards) {
    checkArg(shards >= 1 && shards <= 4096, "--dedupShards must be in 1..4096, was %s", shards);
    return toBuilder().setDedupShards(shards).build();
  }

  /**
   * How long the streaming dedup sums each shard's facts per (merchant, currency, window) before
   * handing the sums to the windows; {@link Duration#ZERO} hands on every fact at once. No rule
   * changes: what is handed on is the same facts' sum, stamped no later than its earliest fact, and
   * the dedup holds its output watermark at the earliest fact not yet handed on, so no pane is
   * closed without it. Panes come up to this much later. Bounded input ignores it.
   */
  public ExposureGraph withPrecombineInterval(Duration interval) {
    checkArg(interval.getMillis() >= 0, "--precombineInterval must not be negative, was %s", interval);
    return toBuilder().setPrecombineInterval(interval).build();
  }

  /**
   * The same graph, also handing out every valid record as received ({@link
   * ExposureOutputs#validEvents()}): what the live job archives so that a replay sees exactly what
   * live saw. Off by default: a replay has no use for it, and on FlinkRunner's batch mode every
   * extra branch is another pass over the records. Changes no rule and no other output.
   */
  public ExposureGraph withValidEventsOutput() {
    return toBuilder().setValidEventsOutput(true).build();
  }

  /**
   * The same graph, also handing out what each valid copy did to its window ({@link
   * ExposureOutputs#lineage()}): counted, withdrawn, a duplicate of which copy, lost a conflict to
   * which copy, or beyond the lateness. Per window the lineage sums to the projection, because it
   * is made by the dedup stage that makes the sums. Off by default: it is one more record per input
   * record, for explaining a slice, not for the hot path. Changes no rule and no other output.
   */
  public ExposureGraph withLineageOutput() {
    return toBuilder().setLineageOutput(true).build();
  }

  /**
   * The same graph, also taking FX rate records ({@link FactKind#FX_RATE}, {@code fx_rate_v1.avsc})
   * among its input and publishing each merchant's daily exposure converted to {@code currency}
   * ({@link ExposureOutputs#converted()}; {@link ConvertedExposure}), and taking merchant limit
   * records ({@link FactKind#MERCHANT_LIMIT}) for each merchant's current exposure of the last
   * {@link #currentDays()} days ({@link ExposureOutputs#current()}; {@link CurrentExposure}). Rates
   * are per UTC day, so the windows must be one day. Without it a reference record is refused as not
   * an event. Changes no rule and no other output.
   */
  public ExposureGraph withReportingCurrency(String currency) {
    checkArg(currency != null && currency.matches("[A-Z]{3}") && java.util.Currency.getAvailableCurrencies().stream()
        .anyMatch(c -> c.getCurrencyCode().equals(currency)),
        "--reportingCurrency must be an ISO-4217 code such as EUR, was %s", currency);
    checkArg(windowSize().equals(Duration.standardDays(1)),
        "converted exposure needs one-day windows (FX rates are per UTC day); --windowSize is %s", windowSize());
    return toBuilder().setReportingCurrency(currency).build();
  }

  /**
   * How many days of converted exposure a merchant's current row sums: the day it is as of and
   * the {@code days - 1} before it ({@link CurrentExposure}). Only with a reporting currency.
   */
  public ExposureGraph withCurrentDays(int days) {
    checkArg(days >= 1 && days <= 366, "--currentDays must be in 1..366, was %s", days);
    return toBuilder().setCurrentDays(days).build();
  }

  /** The window arithmetic this graph uses (also what a backfill needs to know). */
  public WindowGrid grid() {
    return new WindowGrid(windowSize(), allowedLateness());
  }

  /** The dedup shards this input gets: {@link #dedupShards()}, or 16 when it is bounded. */
  int shardsFor(PCollection<RawRecord> raw) {
    return isBounded(raw) ? BOUNDED_DEDUP_SHARDS : dedupShards();
  }

  @Override
  public ExposureOutputs expand(PCollection<RawRecord> input) {
    PCollection<RawRecord> raw = input;
    PCollection<RawRecord> fxRates = null;
    PCollection<RawRecord> limits = null;
    if (reportingCurrency() != null) {
      PCollectionTuple kinds =
          input.apply(
              "SplitFactKinds",
              ParDo.of(new SplitFactKinds()).withOutputTags(SplitFactKinds.EVENTS,
                  TupleTagList.of(SplitFactKinds.FX_RATES).and(SplitFactKinds.LIMITS)));
      raw = kinds.get(SplitFactKinds.EVENTS).setCoder(RawRecord.coder());
      fxRates = kinds.get(SplitFactKinds.FX_RATES).setCoder(RawRecord.coder());
      limits = kinds.get(SplitFactKinds.LIMITS).setCoder(RawRecord.coder());
    }
    PathSettings settings =
        new PathSettings(
            shardsFor(raw),
            grid(),
            new ExposureWindows(windowSize(), allowedLateness(), earlyFiringDelay()),
            validEventsOutput(),
            precombineInterval().getMillis(),
            lineageOutput());
    PCollectionTuple paths =
        isBounded(raw)
            ? raw.apply("BoundedPath", new BoundedPath(settings))
            : raw.apply("StreamingPath", new StreamingPath(settings));

    PCollectionList<DeadLetter> refused =
        PCollectionList.of(paths.get(PathOutputs.INVALID)).and(paths.get(PathOutputs.CONFLICTS));
    PCollection<ConvertedRow> converted = null;
    PCollection<FxRate> validFxRates = null;
    PCollection<CurrentRow> current = null;
    PCollection<CurrentRow> latestCurrent = null;
    PCollection<MerchantLimit> validLimits = null;
    if (fxRates != null) {
      PCollectionTuple conversion =
          PCollectionTuple.of(ConvertedExposure.FX_RATES, fxRates)
              .and(ConvertedExposure.NATIVE_ROWS, paths.get(PathOutputs.PROJECTIONS))
              .apply("ConvertToReportingCurrency", new ConvertedExposure(grid(), reportingCurrency(), isBounded(input), validEventsOutput()));
      converted = conversion.get(ConvertedExposure.CONVERTED);
      validFxRates = validEventsOutput() ? conversion.get(ConvertedExposure.VALID_RATES) : null;
      refused = refused.and(conversion.get(ConvertedExposure.DEAD_LETTERS));
      PCollectionTuple currentExposure =
          PCollectionTuple.of(CurrentExposure.LIMITS, limits)
              .and(CurrentExposure.CONVERTED, converted)
              .apply("CurrentExposure",
                  new CurrentExposure(grid(), reportingCurrency(), currentDays(), isBounded(input), validEventsOutput()));
      current = currentExposure.get(CurrentExposure.CURRENT);
      latestCurrent = currentExposure.get(CurrentExposure.LATEST);
      validLimits = validEventsOutput() ? currentExposure.get(CurrentExposure.VALID_LIMITS) : null;
      refused = refused.and(currentExposure.get(CurrentExposure.DEAD_LETTERS));
    }
    PCollection<DeadLetter> deadLetters =
        refused.apply("AllDeadLetters", Flatten.pCollections()).setCoder(DeadLetter.coder());
    return new ExposureOutputs(
        paths.get(PathOutputs.PROJECTIONS),
        deadLetters,
        paths.get(PathOutputs.BEYOND),
        validEventsOutput() ? paths.get(PathOutputs.VALID_EVENTS) : null,
        lineageOutput() ? paths.get(PathOutputs.LINEAGE) : null,
        converted,
        validFxRates,
        current,
        latestCurrent,
        validLimits);
  }

  private static boolean isBounded(PCollection<RawRecord> raw) {
    return raw.isBounded() == PCollection.IsBounded.BOUNDED;
  }

  private static void checkArg(boolean ok, String message, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, value));
    }
  }
}
