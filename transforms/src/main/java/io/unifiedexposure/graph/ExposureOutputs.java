package io.unifiedexposure.graph;

import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ReceivedEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link ExposureGraph}'s outputs, every one built inside its {@code expand}: projections, dead
 * letters, beyond-lateness facts, and, when the graph was asked for them, valid events as received.
 */
public final class ExposureOutputs implements POutput {
  private static final TupleTag<ProjectionRow> PROJECTIONS = new TupleTag<>("projections");
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");
  private static final TupleTag<BeyondLateness> BEYOND_LATENESS = new TupleTag<>("beyondLateness");
  private static final TupleTag<ReceivedEvent> VALID_EVENTS = new TupleTag<>("validEvents");
  private static final TupleTag<FactLineage> LINEAGE = new TupleTag<>("lineage");
  private static final TupleTag<ConvertedRow> CONVERTED = new TupleTag<>("converted");
  private static final TupleTag<FxRate> VALID_FX_RATES = new TupleTag<>("validFxRates");
  private static final TupleTag<CurrentRow> CURRENT = new TupleTag<>("current");
  private static final TupleTag<CurrentRow> LATEST_CURRENT = new TupleTag<>("latestCurrent");
  private static final TupleTag<MerchantLimit> VALID_LIMITS = new TupleTag<>("validLimits");

  private final PCollection<ProjectionRow> projections;
  private final PCollection<DeadLetter> deadLetters;
  private final PCollection<BeyondLateness> beyondLateness;
  private final @Nullable PCollection<ReceivedEvent> validEvents;
  private final @Nullable PCollection<FactLineage> lineage;
  private final @Nullable PCollection<ConvertedRow> converted;
  private final @Nullable PCollection<FxRate> validFxRates;
  private final @Nullable PCollection<CurrentRow> current;
  private final @Nullable PCollection<CurrentRow> latestCurrent;
  private final @Nullable PCollection<MerchantLimit> validLimits;

  ExposureOutputs(
      PCollection<ProjectionRow> projections,
      PCollection<DeadLetter> deadLetters,
      PCollection<BeyondLateness> beyondLateness,
      @Nullable PCollection<ReceivedEvent> validEvents,
      @Nullable PCollection<FactLineage> lineage,
      @Nullable PCollection<ConvertedRow> converted,
      @Nullable PCollection<FxRate> validFxRates,
      @Nullable PCollection<CurrentRow> current,
      @Nullable PCollection<CurrentRow> latestCurrent,
      @Nullable PCollection<MerchantLimit> validLimits) {
    this.projections = projections;
    this.deadLetters = deadLetters;
    this.beyondLateness = beyondLateness;
    this.validEvents = validEvents;
    this.lineage = lineage;
    this.converted = converted;
    this.validFxRates = validFxRates;
    this.current = current;
    this.latestCurrent = latestCurrent;
    this.validLimits = validLimits;
  }

  /** Every pane of every (merchant, currency, window): upsert by highest pane_index. */
  public PCollection<ProjectionRow> projections() {
    return projections;
  }

  /** Refused records: invalid input and conflicting copies. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** Valid facts that arrived after their window closed, tagged with the window. */
  public PCollection<BeyondLateness> beyondLateness() {
    return beyondLateness;
  }

  /**
   * Every valid record as received, duplicates and conflicting copies included, stamped with its
   * event time; only from a graph made {@link ExposureGraph#withValidEventsOutput()}.
   */
  public PCollection<ReceivedEvent> validEvents() {
    if (validEvents == null) {
      throw new IllegalStateException(
          "this graph was not asked for valid events: apply ExposureGraph.withValidEventsOutput()");
    }
    return validEvents;
  }

  /**
   * What every valid copy did to its window (in the global window, one record per copy); per
   * window the counted and withdrawn contributions sum to the projection's final value. Only from a
   * graph made {@link ExposureGraph#withLineageOutput()}.
   */
  public PCollection<FactLineage> lineage() {
    if (lineage == null) {
      throw new IllegalStateException(
          "this graph was not asked for lineage: apply ExposureGraph.withLineageOutput()");
    }
    return lineage;
  }

  /**
   * Every pane of each (merchant, day)'s exposure in the reporting currency: upsert by highest
   * pane_index. Only from a graph made {@link ExposureGraph#withReportingCurrency}.
   */
  public PCollection<ConvertedRow> converted() {
    return required(converted);
  }

  /**
   * Every valid FX rate as received, copies included: what the live job archives. Only from a graph
   * with a reporting currency that was also asked for {@link #validEvents()}.
   */
  public PCollection<FxRate> validFxRates() {
    if (validFxRates == null) {
      throw new IllegalStateException(
          "this graph was not asked for valid records with a reporting currency");
    }
    return validFxRates;
  }

  /**
   * Every pane of each (merchant, day)'s current exposure: the converted exposure of the last N days
   * and the limit in force ({@code merchant_exposure_current}); upsert per (merchant, as_of_day) by
   * highest pane_index. Only from a graph with a reporting currency.
   */
  public PCollection<CurrentRow> current() {
    return required(current);
  }

  /**
   * The panes of {@link #current()} of each merchant's newest day, in order: what a topic keyed by
   * merchant keeps, its last row per merchant being the merchant's current exposure.
   */
  public PCollection<CurrentRow> latestCurrent() {
    return required(latestCurrent);
  }

  /** Every valid merchant limit as received, copies included (what live archives); as {@link #validFxRates()}. */
  public PCollection<MerchantLimit> validLimits() {
    if (validLimits == null) {
      throw new IllegalStateException("this graph was not asked for valid records with a reporting currency");
    }
    return validLimits;
  }

  private static <T> PCollection<T> required(@Nullable PCollection<T> output) {
    if (output == null) {
      throw new IllegalStateException(
          "this graph has no reporting currency: apply ExposureGraph.withReportingCurrency(...)");
    }
    return output;
  }

  /** Whether the graph publishes converted rows. */
  public boolean hasConverted() {
    return converted != null;
  }

  @Override
  public Pipeline getPipeline() {
    return projections.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> all = new LinkedHashMap<>();
    all.put(PROJECTIONS, projections);
    all.put(DEAD_LETTERS, deadLetters);
    all.put(BEYOND_LATENESS, beyondLateness);
    if (validEvents != null) {
      all.put(VALID_EVENTS, validEvents);
    }
    if (lineage != null) {
      all.put(LINEAGE, lineage);
    }
    if (converted != null) {
      all.put(CONVERTED, converted);
    }
    if (validFxRates != null) {
      all.put(VALID_FX_RATES, validFxRates);
    }
    if (current != null) {
      all.put(CURRENT, current);
      all.put(LATEST_CURRENT, latestCurrent);
    }
    if (validLimits != null) {
      all.put(VALID_LIMITS, validLimits);
    }
    return all;
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
