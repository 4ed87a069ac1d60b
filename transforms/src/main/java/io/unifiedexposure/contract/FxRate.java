package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One valid version of an FX rate ({@code fx_rate_v1.avsc}): the rate that converts {@link
 * #currency()} to {@link #reportingCurrency()} for the facts of one UTC day, where it was received
 * from and when. A higher {@link #version()} of the same (currency, reporting currency, day)
 * corrects the lower ones.
 */
@AutoValue
public abstract class FxRate implements VersionedFact<FxRate> {
  public abstract String currency();

  public abstract String reportingCurrency();

  /** The start of the UTC day the rate is for, epoch millis. */
  @Override
  public abstract long dayStartMillis();

  /** Reporting-currency units per one unit of {@link #currency()}, exact. */
  public abstract BigDecimal rate();

  public abstract int version();

  public abstract String source();

  public abstract long receivedAtMillis();

  public static FxRate of(
      String currency,
      String reportingCurrency,
      long dayStartMillis,
      BigDecimal rate,
      int version,
      String source,
      long receivedAtMillis) {
    return new AutoValue_FxRate(currency, reportingCurrency, dayStartMillis, rate, version, source, receivedAtMillis);
  }

  /** The day as the contract writes it, e.g. {@code 2025-07-01}. */
  public String day() {
    return dayText(dayStartMillis());
  }

  public static String dayText(long dayStartMillis) {
    return LocalDate.ofEpochDay(Math.floorDiv(dayStartMillis, 86_400_000L)).toString();
  }

  public static long dayStart(String isoDate) {
    return LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  @Override
  public boolean sameFactAs(FxRate other) {
    return currency().equals(other.currency())
        && reportingCurrency().equals(other.reportingCurrency())
        && dayStartMillis() == other.dayStartMillis()
        && version() == other.version()
        && rate().compareTo(other.rate()) == 0;
  }

  @Override
  public String identity() {
    return currency() + " " + day();
  }

  @Override
  public String valueText() {
    return rate().toPlainString();
  }

  @Override
  public String valueField() {
    return "rate";
  }

  /** The rate's wire form (the contract's fields in order), e.g. for a dead letter. */
  public byte[] toJsonBytes() {
    com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    o.put("currency", currency());
    o.put("reporting_currency", reportingCurrency());
    o.put("day", day());
    o.put("rate", rate().toPlainString());
    o.put("version", version());
    o.put("schema_version", 1);
    return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public RawRecord toRaw() {
    return RawRecord.ofKind(FactKind.FX_RATE, toJsonBytes(), source(), receivedAtMillis());
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<FxRate> {
    private static final Coder INSTANCE = new Coder();

    @Override
    public void encode(FxRate r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.currency(), out);
      StringUtf8Coder.of().encode(r.reportingCurrency(), out);
      VarLongCoder.of().encode(r.dayStartMillis(), out);
      StringUtf8Coder.of().encode(r.rate().toPlainString(), out);
      VarIntCoder.of().encode(r.version(), out);
      StringUtf8Coder.of().encode(r.source(), out);
      VarLongCoder.of().encode(r.receivedAtMillis(), out);
    }

    @Override
    public FxRate decode(InputStream in) throws IOException {
      return of(
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          new BigDecimal(StringUtf8Coder.of().decode(in)),
          VarIntCoder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in));
    }
  }
}
