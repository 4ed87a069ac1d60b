package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One reason a record was refused: which field (or {@code "record"}), which rule, and what was
 * seen. {@link #code()} ({@code field.rule}) names the dead-letter metric.
 */
@AutoValue
public abstract class Problem {
  /** The field for problems that concern the whole record. */
  public static final String RECORD = "record";

  public abstract String field();

  public abstract String rule();

  public abstract String detail();

  /** The longest detail kept, in characters; longer ones are cut, so a reason stays bounded. */
  public static final int DETAIL_CAP = 300;

  public static Problem of(String field, String rule, @Nullable String detail) {
    return new AutoValue_Problem(field, rule, detail == null ? "" : clip(detail, DETAIL_CAP));
  }

  /**
   * {@code text} cut to about {@code max} characters with {@code ...} when longer, never inside a
   * surrogate pair: the one rule for a detail and for a value quoted in one.
   */
  static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, text.codePointCount(0, max - 3));
    return text.substring(0, end) + "...";
  }

  public static Problem ofRecord(String rule, String detail) {
    return of(RECORD, rule, detail);
  }

  /** {@code field.rule}, e.g. {@code currency.pattern} or {@code record.malformed_json}. */
  public String code() {
    return field() + "." + rule();
  }

  @Override
  public final String toString() {
    return code() + ": " + detail();
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<Problem> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(Problem p, OutputStream out) throws IOException {
      STRING.encode(p.field(), out);
      STRING.encode(p.rule(), out);
      STRING.encode(p.detail(), out);
    }

    @Override
    public Problem decode(InputStream in) throws IOException {
      return of(STRING.decode(in), STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
