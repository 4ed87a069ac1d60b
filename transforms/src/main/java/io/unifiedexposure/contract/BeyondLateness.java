package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * A valid fact that arrived after its window closed (window end + allowed lateness): not in any
 * projection, kept here with its window so a backfill can repair that window.
 */
@AutoValue
public abstract class BeyondLateness {
  public abstract ExposureEvent event();

  public abstract RawRecord raw();

  public abstract Instant windowStart();

  public abstract Instant windowEnd();

  public static BeyondLateness of(ExposureEvent event, RawRecord raw, Instant windowStart, Instant windowEnd) {
    return new AutoValue_BeyondLateness(event, raw, windowStart, windowEnd);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<BeyondLateness> {
    private static final Coder INSTANCE = new Coder();

    @Override
    public void encode(BeyondLateness b, OutputStream out) throws IOException {
      ExposureEvent.coder().encode(b.event(), out);
      RawRecord.coder().encode(b.raw(), out);
      VarLongCoder.of().encode(b.windowStart().getMillis(), out);
      VarLongCoder.of().encode(b.windowEnd().getMillis(), out);
    }

    @Override
    public BeyondLateness decode(InputStream in) throws IOException {
      return of(
          ExposureEvent.coder().decode(in),
          RawRecord.coder().decode(in),
          new Instant(VarLongCoder.of().decode(in)),
          new Instant(VarLongCoder.of().decode(in)));
    }
  }
}
