package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One currency's part of a (merchant, day)'s converted exposure, as its (currency, day) last saw
 * it: the native total, the converted amount or none while the day has no rate, and {@code seq},
 * which orders the parts of one (merchant, currency, day) however they travel.
 */
final class CurrencyPart {
  static final long NO_RATE = Long.MIN_VALUE;

  final String currency;
  final long nativeMinor;
  final long eventCount;
  /** Minor units of the reporting currency, or {@link #NO_RATE}. */
  final long convertedMinor;
  /** The rate version used, 0 when none. */
  final int rateVersion;
  /** The native row's pane timing. */
  final PaneTiming nativeTiming;
  /** Whether a new rate made this part (rather than a new native row). */
  final boolean byRate;
  final long seq;

  CurrencyPart(
      String currency,
      long nativeMinor,
      long eventCount,
      long convertedMinor,
      int rateVersion,
      PaneTiming nativeTiming,
      boolean byRate,
      long seq) {
    this.currency = currency;
    this.nativeMinor = nativeMinor;
    this.eventCount = eventCount;
    this.convertedMinor = convertedMinor;
    this.rateVersion = rateVersion;
    this.nativeTiming = nativeTiming;
    this.byRate = byRate;
    this.seq = seq;
  }

  /**
   * A merchant's part from its native row and the day's rate in force (null: none yet), keyed by its
   * (merchant, day): the reporting currency's own exposure needs no rate.
   */
  static KV<KV<String, Long>, CurrencyPart> of(
      ProjectionRow row, @Nullable FxRate rate, String reportingCurrency, boolean byRate, long seq) {
    long converted;
    if (row.currency().equals(reportingCurrency)) {
      converted = row.exposureMinor();
    } else if (rate == null) {
      converted = NO_RATE;
    } else {
      converted = Conversion.toReportingMinor(row.exposureMinor(), row.currency(), rate.rate(), reportingCurrency);
    }
    return KV.of(
        KV.of(row.merchantId(), row.windowStart().getMillis()),
        new CurrencyPart(row.currency(), row.exposureMinor(), row.eventCount(), converted,
            rate == null ? 0 : rate.version(), row.paneTiming(), byRate, seq));
  }

  boolean hasRate() {
    return convertedMinor != NO_RATE;
  }

  static final class Coder extends AtomicCoder<CurrencyPart> {
    static final Coder INSTANCE = new Coder();
    private static final PaneTiming[] TIMINGS = PaneTiming.values();

    @Override
    public void encode(CurrencyPart p, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(p.currency, out);
      VarLongCoder.of().encode(p.nativeMinor, out);
      VarLongCoder.of().encode(p.eventCount, out);
      VarLongCoder.of().encode(p.convertedMinor, out);
      VarIntCoder.of().encode(p.rateVersion, out);
      VarIntCoder.of().encode(p.nativeTiming.ordinal(), out);
      BooleanCoder.of().encode(p.byRate, out);
      VarLongCoder.of().encode(p.seq, out);
    }

    @Override
    public CurrencyPart decode(InputStream in) throws IOException {
      return new CurrencyPart(
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarIntCoder.of().decode(in),
          TIMINGS[VarIntCoder.of().decode(in)],
          BooleanCoder.of().decode(in),
          VarLongCoder.of().decode(in));
    }
  }
}
