package io.unifiedexposure.graph.rules;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import java.io.Serializable;
import java.util.Collections;
import org.apache.beam.sdk.metrics.Counter;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The dedup rule and its bookkeeping, shared by both dedup stages ({@code DedupFacts} for
 * streaming input, {@code DedupBoundedShard} for bounded input) so that a copy gets the same
 * verdict, the same counters and the same dead letter whichever input it came from.
 */
public final class DedupOutcomes implements Serializable {
  /** What a copy of a fact is, measured against the copy that counts so far. */
  public enum Verdict {
    /** No copy counts yet: this one counts. */
    FIRST,
    /** The same content as the copy that counts: dropped, counted as a duplicate. */
    DUPLICATE,
    /** Different content, and the copy that counts wins: this copy is dead-lettered. */
    LOSES,
    /** Different content, and this copy wins: the former one is withdrawn and dead-lettered. */
    WINS
  }

  private final BundleCounter counted = new BundleCounter(ExposureMetrics.FACTS_COUNTED);
  private final BundleCounter duplicates = new BundleCounter(ExposureMetrics.DUPLICATES);
  private final Counter conflicts = ExposureMetrics.counter(ExposureMetrics.CONFLICTS);
  private final Counter deadLetters = ExposureMetrics.counter(ExposureMetrics.DEAD_LETTERS);
  private final Counter conflictLetters =
      ExposureMetrics.counter(ExposureMetrics.DEAD_LETTER_PREFIX + "event_id.conflict");

  /** Judges {@code copy} against {@code winner}, the copy that counts so far (null if none). */
  public static Verdict judge(@Nullable SeenFact winner, SeenFact copy) {
    if (winner == null) {
      return Verdict.FIRST;
    }
    if (winner.fingerprint() == copy.fingerprint()) {
      return Verdict.DUPLICATE;
    }
    return copy.winsOver(winner) ? Verdict.WINS : Verdict.LOSES;
  }

  /** A fact now counts: what it adds to its window. */
  public Contribution counted(ExposureEvent e) {
    counted.inc();
    return Contribution.of(e.exposureDelta(), 1);
  }

  /** A fact no longer counts (a later-met copy won): what it takes back from its window. */
  public Contribution withdrawn(ExposureEvent e) {
    counted.dec();
    return Contribution.of(e.exposureDelta(), 1).negate();
  }

  public void duplicate() {
    duplicates.inc();
  }

  /**
   * The lineage record of {@code copy}: its outcome, judged against {@code other} (the copy it
   * duplicates or lost to, or the copy that displaced it; null when none), in its window.
   */
  public static FactLineage lineage(
      WindowGrid grid, SeenFact copy, FactLineage.Outcome outcome, @Nullable SeenFact other) {
    return FactLineage.of(
        copy.event(),
        copy.source(),
        copy.receivedAtMillis(),
        outcome,
        other == null ? null : other.source(),
        grid.startInstant(copy.event().eventTime().getMillis()));
  }

  /** Reports the facts counted and duplicates met in the bundle; each dedup step calls it when its bundle ends. */
  public void flushCounts() {
    counted.flush();
    duplicates.flush();
  }

  /** The dead letter of a copy that lost a conflict to {@code winner}. */
  public DeadLetter conflict(RawRecord loserRaw, ExposureEvent loser, SeenFact winner) {
    conflicts.inc();
    deadLetters.inc();
    conflictLetters.inc();
    Problem problem =
        Problem.of(
            "event_id",
            "conflict",
            "event_id '" + loser.eventId() + "' was already counted with different content from "
                + winner.source() + "; the copy received first counts");
    return DeadLetter.of(loserRaw, Collections.singletonList(problem));
  }
}
