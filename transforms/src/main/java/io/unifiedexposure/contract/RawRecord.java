package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What a source hands to the graph: the payload exactly as received, where it came from (e.g.
 * {@code kafka:payments/3@1042} or {@code file:/archive/dt=2025-07-01/part-0.parquet#17}), and when
 * it was received (epoch millis; the dedup rule's first tie-breaker).
 */
@AutoValue
public abstract class RawRecord {
  @SuppressWarnings("mutable")
  public abstract byte[] payload();

  public abstract String source();

  public abstract long receivedAtMillis();

  public static RawRecord of(byte[] payload, String source, long receivedAtMillis) {
    return new AutoValue_RawRecord(payload, source, receivedAtMillis);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<RawRecord> {
    private static final Coder INSTANCE = new Coder();

    @Override
    public void encode(RawRecord r, OutputStream out) throws IOException {
      ByteArrayCoder.of().encode(r.payload(), out);
      StringUtf8Coder.of().encode(r.source(), out);
      VarLongCoder.of().encode(r.receivedAtMillis(), out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      return of(
          ByteArrayCoder.of().decode(in), StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in));
    }
  }
}
