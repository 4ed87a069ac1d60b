package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * What one valid copy of a fact did to its (merchant, currency, window), as the graph judged it:
 * the lineage behind a projection row. Per window, the {@link #contributionMinor()} of its lineage
 * records sums to the row's exposure, and their {@link #countDelta()} to its event count.
 *
 * <p>Emitted only by a graph asked for it ({@code ExposureGraph.withLineageOutput()}); records the
 * decoder refused are dead letters, not lineage (they name no window the graph can trust).
 */
@AutoValue
public abstract class FactLineage {
  /** What the copy did. */
  public enum Outcome {
    /** It counts: its delta is in the window's total. */
    COUNTED,
    /** It counted, then a copy received earlier was met and won: its delta is taken back. */
    WITHDRAWN,
    /** Identical to the copy that counts ({@link #otherSource()}): dropped. */
    DUPLICATE,
    /** Different content from the copy that counts ({@link #otherSource()}), which wins: dead-lettered. */
    CONFLICT_LOST,
    /** Arrived after its window closed (window end + allowed lateness): in no pane. */
    BEYOND_LATENESS
  }

  public abstract ExposureEvent event();

  public abstract String source();

  public abstract long receivedAtMillis();

  public abstract Outcome outcome();

  /** The copy this one was judged against: the duplicated or winning copy; null when none. */
  public abstract @Nullable String otherSource();

  public abstract Instant windowStart();

  public static FactLineage of(
      ExposureEvent event, String source, long receivedAtMillis, Outcome outcome,
      @Nullable String otherSource, Instant windowStart) {
    return new AutoValue_FactLineage(event, source, receivedAtMillis, outcome, otherSource, windowStart);
  }

  /** What this copy adds to its window's exposure: the fact's delta, its negation, or nothing. */
  public long contributionMinor() {
    return countDelta() * event().exposureDelta();
  }

  /** What this copy adds to its window's event count: 1 counted, -1 withdrawn, else 0. */
  public long countDelta() {
    switch (outcome()) {
      case COUNTED:
        return 1;
      case WITHDRAWN:
        return -1;
      default:
        return 0;
    }
  }

  public ExposureKey key() {
    return ExposureKey.of(event());
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<FactLineage> {
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<String> OTHER = NullableCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(FactLineage l, OutputStream out) throws IOException {
      ExposureEvent.coder().encode(l.event(), out);
      StringUtf8Coder.of().encode(l.source(), out);
      VarLongCoder.of().encode(l.receivedAtMillis(), out);
      VarIntCoder.of().encode(l.outcome().ordinal(), out);
      OTHER.encode(l.otherSource(), out);
      VarLongCoder.of().encode(l.windowStart().getMillis(), out);
    }

    @Override
    public FactLineage decode(InputStream in) throws IOException {
      return of(
          ExposureEvent.coder().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          Outcome.values()[VarIntCoder.of().decode(in)],
          OTHER.decode(in),
          new Instant(VarLongCoder.of().decode(in)));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
