package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One valid version of a merchant's exposure limit ({@code merchant_limit_v1.avsc}): from {@link
 * #effectiveFromMillis()} on, payouts are held while the merchant's current exposure is above
 * {@link #limitMinor()} (reporting currency). A higher {@link #version()} of the same (merchant,
 * effective_from) corrects the lower ones; a later effective_from takes over from an earlier one.
 */
@AutoValue
public abstract class MerchantLimit implements VersionedFact<MerchantLimit> {
  private static final long DAY_MILLIS = 86_400_000L;

  public abstract String merchantId();

  public abstract String reportingCurrency();

  public abstract long effectiveFromMillis();

  /** Minor units of the reporting currency. */
  public abstract long limitMinor();

  @Override
  public abstract int version();

  @Override
  public abstract String source();

  @Override
  public abstract long receivedAtMillis();

  public static MerchantLimit of(
      String merchantId,
      String reportingCurrency,
      long effectiveFromMillis,
      long limitMinor,
      int version,
      String source,
      long receivedAtMillis) {
    return new AutoValue_MerchantLimit(
        merchantId, reportingCurrency, effectiveFromMillis, limitMinor, version, source, receivedAtMillis);
  }

  /** The UTC day it takes effect on: from that day's current row on, it can be the limit in force. */
  @Override
  public long dayStartMillis() {
    return Math.floorDiv(effectiveFromMillis(), DAY_MILLIS) * DAY_MILLIS;
  }

  @Override
  public boolean sameFactAs(MerchantLimit other) {
    return merchantId().equals(other.merchantId())
        && reportingCurrency().equals(other.reportingCurrency())
        && effectiveFromMillis() == other.effectiveFromMillis()
        && version() == other.version()
        && limitMinor() == other.limitMinor();
  }

  @Override
  public String identity() {
    return merchantId() + " from " + IsoInstants.format(effectiveFromMillis());
  }

  @Override
  public String valueText() {
    return Long.toString(limitMinor());
  }

  @Override
  public String valueField() {
    return "limit_minor";
  }

  /** The limit's wire form (the contract's fields in order). */
  public byte[] toJsonBytes() {
    com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    o.put("merchant_id", merchantId());
    o.put("reporting_currency", reportingCurrency());
    o.put("effective_from", IsoInstants.format(effectiveFromMillis()));
    o.put("limit_minor", limitMinor());
    o.put("version", version());
    o.put("schema_version", 1);
    return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public RawRecord toRaw() {
    return RawRecord.ofKind(FactKind.MERCHANT_LIMIT, toJsonBytes(), source(), receivedAtMillis());
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<MerchantLimit> {
    private static final Coder INSTANCE = new Coder();

    @Override
    public void encode(MerchantLimit l, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(l.merchantId(), out);
      StringUtf8Coder.of().encode(l.reportingCurrency(), out);
      VarLongCoder.of().encode(l.effectiveFromMillis(), out);
      VarLongCoder.of().encode(l.limitMinor(), out);
      VarIntCoder.of().encode(l.version(), out);
      StringUtf8Coder.of().encode(l.source(), out);
      VarLongCoder.of().encode(l.receivedAtMillis(), out);
    }

    @Override
    public MerchantLimit decode(InputStream in) throws IOException {
      return of(
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarIntCoder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in));
    }
  }
}
