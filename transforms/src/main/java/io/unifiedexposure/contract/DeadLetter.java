package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A refused record: the original payload, every reason, and the source coordinates. Nothing the
 * graph receives disappears: each record is counted, or it is one of these.
 */
@AutoValue
public abstract class DeadLetter {
  @SuppressWarnings("mutable")
  public abstract byte[] payload();

  public abstract String source();

  public abstract long receivedAtMillis();

  public abstract List<Problem> problems();

  public static DeadLetter of(RawRecord raw, List<Problem> problems) {
    return new AutoValue_DeadLetter(raw.payload(), raw.source(), raw.receivedAtMillis(), problems);
  }

  /** The payload as text (invalid UTF-8 bytes are replaced, the reasons say so). */
  public String payloadText() {
    return new String(payload(), StandardCharsets.UTF_8);
  }

  /** The reason codes, e.g. {@code [currency.pattern, amount_minor.negative]}. */
  public List<String> codes() {
    return problems().stream().map(Problem::code).collect(java.util.stream.Collectors.toList());
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<DeadLetter> {
    private static final Coder INSTANCE = new Coder();
    private static final ListCoder<Problem> PROBLEMS = ListCoder.of(Problem.coder());

    @Override
    public void encode(DeadLetter d, OutputStream out) throws IOException {
      ByteArrayCoder.of().encode(d.payload(), out);
      StringUtf8Coder.of().encode(d.source(), out);
      VarLongCoder.of().encode(d.receivedAtMillis(), out);
      PROBLEMS.encode(d.problems(), out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new AutoValue_DeadLetter(
          ByteArrayCoder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          PROBLEMS.decode(in));
    }
  }
}
