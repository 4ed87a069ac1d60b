package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a source hands to the graph: the payload exactly as received, where it came from (e.g.
 * {@code kafka:payments/3@1042} or {@code file:/archive/dt=2025-07-01/part-0.parquet#17}), and when
 * it was received (epoch millis; the dedup rule's first tie-breaker).
 *
 * <p>A source that could not read a record at all (a corrupt file) still hands it over, with what
 * it has as payload and the {@link #readProblem()}: the graph dead-letters it with that reason, so
 * it is counted in like every other record and leaves by the one dead-letter output.
 */
@AutoValue
public abstract class RawRecord {
  @SuppressWarnings("mutable")
  public abstract byte[] payload();

  public abstract String source();

  public abstract long receivedAtMillis();

  /** Why the source could not read this record; null for every record it did read. */
  public abstract @Nullable Problem readProblem();

  public static RawRecord of(byte[] payload, String source, long receivedAtMillis) {
    return new AutoValue_RawRecord(payload, source, receivedAtMillis, null);
  }

  /** A record its source could not read, e.g. a file that is not Parquet. */
  public static RawRecord unreadable(byte[] payload, String source, long receivedAtMillis, Problem problem) {
    return new AutoValue_RawRecord(payload, source, receivedAtMillis, problem);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<RawRecord> {
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<Problem> PROBLEM = NullableCoder.of(Problem.coder());

    @Override
    public void encode(RawRecord r, OutputStream out) throws IOException {
      ByteArrayCoder.of().encode(r.payload(), out);
      StringUtf8Coder.of().encode(r.source(), out);
      VarLongCoder.of().encode(r.receivedAtMillis(), out);
      PROBLEM.encode(r.readProblem(), out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      return new AutoValue_RawRecord(
          ByteArrayCoder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          PROBLEM.decode(in));
    }
  }
}
