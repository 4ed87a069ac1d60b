package io.unifiedexposure.graph.rules;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What facts add to a window's total: exposure and a count of distinct facts. A fact contributes
 * (delta, 1); a displaced conflict winner is withdrawn with (-delta, -1).
 */
@AutoValue
public abstract class Contribution {
  public abstract long exposureMinor();

  public abstract long eventCount();

  public static Contribution of(long exposureMinor, long eventCount) {
    return new AutoValue_Contribution(exposureMinor, eventCount);
  }

  public Contribution negate() {
    return of(-exposureMinor(), -eventCount());
  }

  public static final class Coder extends AtomicCoder<Contribution> {
    public static final Coder INSTANCE = new Coder();

    @Override
    public void encode(Contribution c, OutputStream out) throws IOException {
      VarLongCoder.of().encode(c.exposureMinor(), out);
      VarLongCoder.of().encode(c.eventCount(), out);
    }

    @Override
    public Contribution decode(InputStream in) throws IOException {
      return of(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
