package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.ProjectionRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What meets per (currency, day): a version of the day's rate, or a merchant's newest native row. */
final class CurrencyDayInput {
  final @Nullable FxRate rate;
  final @Nullable ProjectionRow row;

  private CurrencyDayInput(@Nullable FxRate rate, @Nullable ProjectionRow row) {
    this.rate = rate;
    this.row = row;
  }

  static CurrencyDayInput rate(FxRate rate) {
    return new CurrencyDayInput(rate, null);
  }

  static CurrencyDayInput row(ProjectionRow row) {
    return new CurrencyDayInput(null, row);
  }

  static final class Coder extends AtomicCoder<CurrencyDayInput> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(CurrencyDayInput v, OutputStream out) throws IOException {
      if (v.rate != null) {
        out.write(0);
        FxRate.coder().encode(v.rate, out);
      } else {
        out.write(1);
        ProjectionRow.coder().encode(v.row, out);
      }
    }

    @Override
    public CurrencyDayInput decode(InputStream in) throws IOException {
      return in.read() == 0 ? rate(FxRate.coder().decode(in)) : row(ProjectionRow.coder().decode(in));
    }
  }
}
