package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A decoded, valid event travelling with the raw record it came from. */
@AutoValue
public abstract class ReceivedEvent {
  public abstract ExposureEvent event();

  public abstract RawRecord raw();

  public static ReceivedEvent of(ExposureEvent event, RawRecord raw) {
    return new AutoValue_ReceivedEvent(event, raw);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<ReceivedEvent> {
    public static final Coder INSTANCE = new Coder();

    @Override
    public void encode(ReceivedEvent r, OutputStream out) throws IOException {
      ExposureEvent.coder().encode(r.event(), out);
      RawRecord.coder().encode(r.raw(), out);
    }

    @Override
    public ReceivedEvent decode(InputStream in) throws IOException {
      return of(ExposureEvent.coder().decode(in), RawRecord.coder().decode(in));
    }
  }
}
