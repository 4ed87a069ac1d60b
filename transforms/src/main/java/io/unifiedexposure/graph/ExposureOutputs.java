package io.unifiedexposure.graph;

import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.DeadLetter;
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

  private final PCollection<ProjectionRow> projections;
  private final PCollection<DeadLetter> deadLetters;
  private final PCollection<BeyondLateness> beyondLateness;
  private final @Nullable PCollection<ReceivedEvent> validEvents;

  ExposureOutputs(
      PCollection<ProjectionRow> projections,
      PCollection<DeadLetter> deadLetters,
      PCollection<BeyondLateness> beyondLateness,
      @Nullable PCollection<ReceivedEvent> validEvents) {
    this.projections = projections;
    this.deadLetters = deadLetters;
    this.beyondLateness = beyondLateness;
    this.validEvents = validEvents;
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
    return all;
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
