package io.unifiedexposure.graph.rules;

import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ReceivedEvent;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What each execution path ({@code StreamingPath}, {@code BoundedPath}) hands back to {@code
 * ExposureGraph}, as one {@code PCollectionTuple} under these tags. Both paths fill the same tags by
 * the same rules; only how they get there differs.
 */
public final class PathOutputs {
  /** Every pane of every (merchant, currency, window). */
  public static final TupleTag<ProjectionRow> PROJECTIONS = new TupleTag<ProjectionRow>() {};
  /** Records the decoder refused, with every reason. */
  public static final TupleTag<DeadLetter> INVALID = new TupleTag<DeadLetter>() {};
  /** Copies of a fact that lost a conflict to the copy that counts. */
  public static final TupleTag<DeadLetter> CONFLICTS = new TupleTag<DeadLetter>() {};
  /** Valid facts that arrived after their window closed. */
  public static final TupleTag<BeyondLateness> BEYOND = new TupleTag<BeyondLateness>() {};
  /** Every valid record as received; present only when the graph was asked for it. */
  public static final TupleTag<ReceivedEvent> VALID_EVENTS = new TupleTag<ReceivedEvent>() {};

  /** Every valid copy's outcome, what it added to its window; present only when the graph was asked for it. */
  public static final TupleTag<FactLineage> LINEAGE = new TupleTag<FactLineage>() {};

  private PathOutputs() {}

  /**
   * A path's outputs under the shared tags, each with its coder; valid events and lineage when
   * built (else null).
   */
  public static PCollectionTuple of(
      PCollection<ProjectionRow> projections,
      PCollection<DeadLetter> invalid,
      PCollection<DeadLetter> conflicts,
      PCollection<BeyondLateness> beyond,
      @Nullable PCollection<ReceivedEvent> validEvents,
      @Nullable PCollection<FactLineage> lineage) {
    PCollectionTuple out =
        PCollectionTuple.of(PROJECTIONS, projections.setCoder(ProjectionRow.coder()))
            .and(INVALID, invalid.setCoder(DeadLetter.coder()))
            .and(CONFLICTS, conflicts.setCoder(DeadLetter.coder()))
            .and(BEYOND, beyond.setCoder(BeyondLateness.coder()));
    if (validEvents != null) {
      out = out.and(VALID_EVENTS, validEvents.setCoder(ReceivedEvent.coder()));
    }
    return lineage == null ? out : out.and(LINEAGE, lineage.setCoder(FactLineage.coder()));
  }
}
