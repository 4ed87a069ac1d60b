package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * One pane of a merchant's exposure for one window (a UTC day by default) in the reporting
 * currency: the sum over its currencies of each currency's exposure converted at that day's newest
 * rate version ({@code Conversion}'s rule).
 *
 * <p>Consumer contract, as for {@link ProjectionRow}: per (merchant_id, window_start) keep the row
 * with the highest {@code pane_index}; {@code is_final} says no further row follows. {@code
 * exposure_minor} sums only the currencies that have a rate; those without are listed in {@code
 * missing_rates} (sorted), never counted as zero, so a row with missing rates is incomplete and says
 * so.
 */
@AutoValue
public abstract class ConvertedRow {
  public abstract String merchantId();

  public abstract String reportingCurrency();

  public abstract Instant windowStart();

  public abstract Instant windowEnd();

  /** Converted exposure of the currencies that have a rate, minor units of the reporting currency. */
  public abstract long exposureMinor();

  /** Facts counted, over all currencies. */
  public abstract long eventCount();

  /** The currencies with exposure in this window, sorted. */
  public abstract List<String> currencies();

  /** The currencies with no rate for this day yet, sorted; empty when the row is complete. */
  public abstract List<String> missingRates();

  public abstract PaneTiming paneTiming();

  public abstract long paneIndex();

  public abstract boolean isFinal();

  public static ConvertedRow of(
      String merchantId,
      String reportingCurrency,
      Instant windowStart,
      Instant windowEnd,
      long exposureMinor,
      long eventCount,
      List<String> currencies,
      List<String> missingRates,
      PaneTiming paneTiming,
      long paneIndex,
      boolean isFinal) {
    return new AutoValue_ConvertedRow(
        merchantId,
        reportingCurrency,
        windowStart,
        windowEnd,
        exposureMinor,
        eventCount,
        List.copyOf(currencies),
        List.copyOf(missingRates),
        paneTiming,
        paneIndex,
        isFinal);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<ConvertedRow> {
    private static final Coder INSTANCE = new Coder();
    private static final PaneTiming[] TIMINGS = PaneTiming.values();
    private static final ListCoder<String> CODES = ListCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(ConvertedRow r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.merchantId(), out);
      StringUtf8Coder.of().encode(r.reportingCurrency(), out);
      VarLongCoder.of().encode(r.windowStart().getMillis(), out);
      VarLongCoder.of().encode(r.windowEnd().getMillis(), out);
      VarLongCoder.of().encode(r.exposureMinor(), out);
      VarLongCoder.of().encode(r.eventCount(), out);
      CODES.encode(r.currencies(), out);
      CODES.encode(r.missingRates(), out);
      VarIntCoder.of().encode(r.paneTiming().ordinal(), out);
      VarLongCoder.of().encode(r.paneIndex(), out);
      BooleanCoder.of().encode(r.isFinal(), out);
    }

    @Override
    public ConvertedRow decode(InputStream in) throws IOException {
      return of(
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          new Instant(VarLongCoder.of().decode(in)),
          new Instant(VarLongCoder.of().decode(in)),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          CODES.decode(in),
          CODES.decode(in),
          TIMINGS[VarIntCoder.of().decode(in)],
          VarLongCoder.of().decode(in),
          BooleanCoder.of().decode(in));
    }
  }
}
