package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One pane of a merchant's current exposure as of one UTC day ({@code merchant_exposure_current}):
 * the converted exposure ({@link ConvertedRow}) of the N days ending with that day, summed, beside
 * the limit in force for that day and whether the exposure is above it.
 *
 * <p>A merchant has a row for every day from its first fact's day until N days after its last (the
 * last one, its window empty of facts, says the exposure has rolled out). The limit in force for a
 * day is the newest version of the limit with the latest {@code effective_from} before the day's
 * end: a limit changed mid-day applies to that whole day's row, as soon as it is received. Panes as
 * the other rows: per (merchant_id, as_of_day) keep the highest {@code pane_index}; {@code
 * is_final} says no row follows. Live publishes, keyed by merchant, the rows of each merchant's
 * newest day; the current exposure of a merchant is its row with the latest {@code as_of_day}.
 */
@AutoValue
public abstract class CurrentRow {
  public abstract String merchantId();

  public abstract String reportingCurrency();

  /** The start of the day the row is as of. */
  public abstract Instant asOfDay();

  /** The start of the first of the N days summed ({@code as_of_day} − (N − 1) days). */
  public abstract Instant daysFrom();

  /** Converted exposure of the N days, the currencies that have a rate; minor units of the reporting currency. */
  public abstract long exposureMinor();

  /** Facts counted over the N days, all currencies. */
  public abstract long eventCount();

  /** Currencies lacking a rate on some of the N days, sorted; their exposure is not in the sum. */
  public abstract List<String> missingRates();

  /** The limit in force for the day, or null when the merchant has none. */
  public abstract @Nullable MerchantLimit limit();

  public abstract PaneTiming paneTiming();

  public abstract long paneIndex();

  public abstract boolean isFinal();

  /** Whether a limit is in force and the exposure is above it: payouts are held. */
  public boolean overLimit() {
    return limit() != null && exposureMinor() > limit().limitMinor();
  }

  public static CurrentRow of(
      String merchantId,
      String reportingCurrency,
      Instant asOfDay,
      Instant daysFrom,
      long exposureMinor,
      long eventCount,
      List<String> missingRates,
      @Nullable MerchantLimit limit,
      PaneTiming paneTiming,
      long paneIndex,
      boolean isFinal) {
    return new AutoValue_CurrentRow(
        merchantId, reportingCurrency, asOfDay, daysFrom, exposureMinor, eventCount, List.copyOf(missingRates), limit,
        paneTiming, paneIndex, isFinal);
  }

  /** The same values as another pane (pane timing, index and finality aside). */
  public boolean sameValuesAs(CurrentRow other) {
    return merchantId().equals(other.merchantId())
        && asOfDay().equals(other.asOfDay())
        && exposureMinor() == other.exposureMinor()
        && eventCount() == other.eventCount()
        && missingRates().equals(other.missingRates())
        && java.util.Objects.equals(limitMinorOrNull(), other.limitMinorOrNull());
  }

  /** The limit's amount, or null. */
  public @Nullable Long limitMinorOrNull() {
    return limit() == null ? null : limit().limitMinor();
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<CurrentRow> {
    private static final Coder INSTANCE = new Coder();
    private static final PaneTiming[] TIMINGS = PaneTiming.values();
    private static final ListCoder<String> CODES = ListCoder.of(StringUtf8Coder.of());
    private static final NullableCoder<MerchantLimit> LIMIT = NullableCoder.of(MerchantLimit.coder());

    @Override
    public void encode(CurrentRow r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.merchantId(), out);
      StringUtf8Coder.of().encode(r.reportingCurrency(), out);
      VarLongCoder.of().encode(r.asOfDay().getMillis(), out);
      VarLongCoder.of().encode(r.daysFrom().getMillis(), out);
      VarLongCoder.of().encode(r.exposureMinor(), out);
      VarLongCoder.of().encode(r.eventCount(), out);
      CODES.encode(r.missingRates(), out);
      LIMIT.encode(r.limit(), out);
      VarIntCoder.of().encode(r.paneTiming().ordinal(), out);
      VarLongCoder.of().encode(r.paneIndex(), out);
      BooleanCoder.of().encode(r.isFinal(), out);
    }

    @Override
    public CurrentRow decode(InputStream in) throws IOException {
      return of(
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          new Instant(VarLongCoder.of().decode(in)),
          new Instant(VarLongCoder.of().decode(in)),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          CODES.decode(in),
          LIMIT.decode(in),
          TIMINGS[VarIntCoder.of().decode(in)],
          VarLongCoder.of().decode(in),
          BooleanCoder.of().decode(in));
    }
  }
}
