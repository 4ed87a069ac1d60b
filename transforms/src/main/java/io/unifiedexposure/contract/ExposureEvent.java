package io.unifiedexposure.contract;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A valid fact of the event contract v1 (see {@code exposure_event_v1.avsc}, the source of truth).
 * Instances only come out of {@link EventDecoder} or the test kit's builders, so they always obey
 * the contract's rules.
 */
@AutoValue
public abstract class ExposureEvent {
  /** The contract's field names, in schema order; a test holds them equal to the .avsc. */
  public static final List<String> FIELD_NAMES =
      Arrays.asList(
          "event_id",
          "merchant_id",
          "event_type",
          "amount_minor",
          "currency",
          "event_time",
          "corrects_event_id",
          "schema_version",
          "acquirer_reference");

  public abstract String eventId();

  public abstract String merchantId();

  public abstract EventType eventType();

  public abstract long amountMinor();

  public abstract String currency();

  public abstract Instant eventTime();

  public abstract @Nullable String correctsEventId();

  public abstract int schemaVersion();

  /** Since version 2: the acquirer's reference of the payment, or null. */
  public abstract @Nullable String acquirerReference();

  public static Builder builder() {
    return new AutoValue_ExposureEvent.Builder().setSchemaVersion(EventContract.FIRST_VERSION);
  }

  public abstract Builder toBuilder();

  /** The exposure delta of this fact, as defined by {@link EventType#exposureDelta}. */
  public long exposureDelta() {
    return eventType().exposureDelta(amountMinor());
  }

  /**
   * A 64-bit fingerprint of the fact's content (every field). Two copies with the same event_id
   * and the same fingerprint are the same fact; a different fingerprint is a conflict.
   */
  public long fingerprint() {
    long h = 0xcbf29ce484222325L;
    h = mix(h, eventId());
    h = mix(h, merchantId());
    h = mix(h, eventType().name());
    h = mix(h, Long.toString(amountMinor()));
    h = mix(h, currency());
    h = mix(h, Long.toString(eventTime().getMillis()));
    h = mix(h, correctsEventId() == null ? "\u0000null" : correctsEventId());
    h = mix(h, Integer.toString(schemaVersion()));
    if (acquirerReference() != null) {
      // Only when present: a version 1 fact keeps the fingerprint it had before version 2 existed.
      h = mix(h, acquirerReference());
    }
    return h;
  }

  private static long mix(long h, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= 0x1f; // field separator, so ("ab","c") and ("a","bc") differ
    return h * 0x100000001b3L;
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setEventId(String eventId);

    public abstract Builder setMerchantId(String merchantId);

    public abstract Builder setEventType(EventType eventType);

    public abstract Builder setAmountMinor(long amountMinor);

    public abstract Builder setCurrency(String currency);

    public abstract Builder setEventTime(Instant eventTime);

    public abstract Builder setCorrectsEventId(@Nullable String correctsEventId);

    public abstract Builder setSchemaVersion(int schemaVersion);

    public abstract Builder setAcquirerReference(@Nullable String acquirerReference);

    public abstract ExposureEvent build();
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  /** Explicit, compact coder: Beam's SerializableCoder fallback is about 10x slower. */
  public static final class Coder extends AtomicCoder<ExposureEvent> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final NullableCoder<String> NULLABLE_STRING = NullableCoder.of(STRING);
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final EventType[] TYPES = EventType.values();
    /** The version that added {@code acquirer_reference}, as the contract's schema says. */
    private static final int ACQUIRER_REFERENCE_SINCE =
        EventContract.current().fields().get("acquirer_reference").sinceVersion;

    @Override
    public void encode(ExposureEvent e, OutputStream out) throws IOException {
      STRING.encode(e.eventId(), out);
      STRING.encode(e.merchantId(), out);
      INT.encode(e.eventType().ordinal(), out);
      LONG.encode(e.amountMinor(), out);
      STRING.encode(e.currency(), out);
      LONG.encode(e.eventTime().getMillis(), out);
      NULLABLE_STRING.encode(e.correctsEventId(), out);
      INT.encode(e.schemaVersion(), out);
      // Fields of later versions after the version, only for those versions: a version 1 fact
      // encodes to the bytes it had before version 2, so state written by an earlier build restores.
      if (e.schemaVersion() >= ACQUIRER_REFERENCE_SINCE) {
        NULLABLE_STRING.encode(e.acquirerReference(), out);
      }
    }

    @Override
    public ExposureEvent decode(InputStream in) throws IOException {
      Builder b = builder()
          .setEventId(STRING.decode(in))
          .setMerchantId(STRING.decode(in))
          .setEventType(TYPES[INT.decode(in)])
          .setAmountMinor(LONG.decode(in))
          .setCurrency(STRING.decode(in))
          .setEventTime(new Instant(LONG.decode(in)))
          .setCorrectsEventId(NULLABLE_STRING.decode(in));
      int version = INT.decode(in);
      b.setSchemaVersion(version);
      if (version >= ACQUIRER_REFERENCE_SINCE) {
        b.setAcquirerReference(NULLABLE_STRING.decode(in));
      }
      return b.build();
    }

    @Override
    public void verifyDeterministic() {}
  }
}
