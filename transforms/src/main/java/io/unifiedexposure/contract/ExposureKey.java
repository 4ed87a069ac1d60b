package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** What exposure is summed by (within a window): merchant and currency. */
@AutoValue
public abstract class ExposureKey {
  public abstract String merchantId();

  public abstract String currency();

  public static ExposureKey of(String merchantId, String currency) {
    return new AutoValue_ExposureKey(merchantId, currency);
  }

  public static ExposureKey of(ExposureEvent e) {
    return of(e.merchantId(), e.currency());
  }

  /**
   * The aggregation shard of this (merchant, currency): a stable hash modulo the shard count. A
   * replay sums its windows per aggregation shard (see {@code graph.bounded.BoundedPath}).
   */
  public int aggregationShard(int shards) {
    return Math.floorMod(hashCode(), shards);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /** Deterministic, as a grouping key's coder must be. */
  public static final class Coder extends AtomicCoder<ExposureKey> {
    private static final Coder INSTANCE = new Coder();

    @Override
    public void encode(ExposureKey k, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(k.merchantId(), out);
      StringUtf8Coder.of().encode(k.currency(), out);
    }

    @Override
    public ExposureKey decode(InputStream in) throws IOException {
      return of(StringUtf8Coder.of().decode(in), StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
