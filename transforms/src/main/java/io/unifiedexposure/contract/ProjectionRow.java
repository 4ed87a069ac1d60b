package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * One pane of exposure for (merchant_id, currency, window).
 *
 * <p>Consumer contract (versioned upsert): per (merchant_id, currency, window_start) keep the row
 * with the highest {@code pane_index}; that row holds the right answer so far, and when
 * {@code is_final} is true no further row will follow for that window. Panes accumulate: each row
 * carries the whole window's total, never a delta.
 */
@AutoValue
public abstract class ProjectionRow {
  public abstract String merchantId();

  public abstract String currency();

  public abstract Instant windowStart();

  public abstract Instant windowEnd();

  public abstract long exposureMinor();

  public abstract long eventCount();

  public abstract PaneTiming paneTiming();

  public abstract long paneIndex();

  public abstract boolean isFinal();

  public static ProjectionRow of(
      String merchantId,
      String currency,
      Instant windowStart,
      Instant windowEnd,
      long exposureMinor,
      long eventCount,
      PaneTiming paneTiming,
      long paneIndex,
      boolean isFinal) {
    return new AutoValue_ProjectionRow(
        merchantId, currency, windowStart, windowEnd, exposureMinor, eventCount, paneTiming, paneIndex, isFinal);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<ProjectionRow> {
    private static final Coder INSTANCE = new Coder();
    private static final PaneTiming[] TIMINGS = PaneTiming.values();

    @Override
    public void encode(ProjectionRow r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.merchantId(), out);
      StringUtf8Coder.of().encode(r.currency(), out);
      VarLongCoder.of().encode(r.windowStart().getMillis(), out);
      VarLongCoder.of().encode(r.windowEnd().getMillis(), out);
      VarLongCoder.of().encode(r.exposureMinor(), out);
      VarLongCoder.of().encode(r.eventCount(), out);
      VarIntCoder.of().encode(r.paneTiming().ordinal(), out);
      VarLongCoder.of().encode(r.paneIndex(), out);
      BooleanCoder.of().encode(r.isFinal(), out);
    }

    @Override
    public ProjectionRow decode(InputStream in) throws IOException {
      return of(
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          new Instant(VarLongCoder.of().decode(in)),
          new Instant(VarLongCoder.of().decode(in)),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          TIMINGS[VarIntCoder.of().decode(in)],
          VarLongCoder.of().decode(in),
          BooleanCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
