package io.unifiedexposure.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
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
 * <p>The payload is the JSON wire form as received ({@link #payloadBytes()}), or, from a source
 * that reads typed rows, the contract fields as typed values ({@link #fields()}), validated by the
 * same rules and written out as JSON only if needed ({@link #payload()}).
 *
 * <p>A source that could not read a record at all (a corrupt file) still hands it over, with what
 * it has as payload and the {@link #readProblem()}: the graph dead-letters it with that reason, so
 * it is counted in like every other record and leaves by the one dead-letter output.
 */
@AutoValue
public abstract class RawRecord {
  /** The payload as received, or null when the source handed over typed {@link #fields()}. */
  @SuppressWarnings("mutable")
  public abstract byte @Nullable [] payloadBytes();

  /**
   * The record's contract fields as typed values ({@link RecordFields}), from a source that reads
   * typed rows; null for a record received as text.
   */
  public abstract @Nullable List<JsonNode> fields();

  /** The payload: as received, or the wire form of the typed fields, written now. */
  public byte[] payload() {
    byte[] bytes = payloadBytes();
    return bytes != null ? bytes : RecordFields.toJson(fields());
  }

  public abstract String source();

  public abstract long receivedAtMillis();

  /** Why the source could not read this record; null for every record it did read. */
  public abstract @Nullable Problem readProblem();

  /** Which contract the record is a fact of; {@link FactKind#EVENT} unless its source says otherwise. */
  public abstract FactKind kind();

  public static RawRecord of(byte[] payload, String source, long receivedAtMillis) {
    return new AutoValue_RawRecord(payload, null, source, receivedAtMillis, null, FactKind.EVENT);
  }

  /** A reference data record of {@code kind} as received (payload text). */
  public static RawRecord ofKind(FactKind kind, byte[] payload, String source, long receivedAtMillis) {
    return new AutoValue_RawRecord(payload, null, source, receivedAtMillis, null, kind);
  }

  /**
   * A record read as typed values, one per contract field in contract order (null where absent),
   * each one {@link RecordFields#holds}.
   */
  public static RawRecord ofFields(List<JsonNode> fields, String source, long receivedAtMillis) {
    boolean holds = fields.size() == RecordFields.size();
    for (int i = 0; holds && i < fields.size(); i++) {
      holds = RecordFields.holds(fields.get(i));
    }
    if (!holds) {
      throw new IllegalArgumentException("not one value per contract field of a kind RecordFields holds: " + fields);
    }
    return new AutoValue_RawRecord(
        null, Collections.unmodifiableList(fields), source, receivedAtMillis, null, FactKind.EVENT);
  }

  /** A record its source could not read, e.g. a file that is not Parquet. */
  public static RawRecord unreadable(byte[] payload, String source, long receivedAtMillis, Problem problem) {
    return new AutoValue_RawRecord(payload, null, source, receivedAtMillis, problem, FactKind.EVENT);
  }

  /** The same record, a fact of {@code kind}. */
  public RawRecord withKind(FactKind kind) {
    return new AutoValue_RawRecord(payloadBytes(), fields(), source(), receivedAtMillis(), readProblem(), kind);
  }

  public static Coder coder() {
    return Coder.INSTANCE;
  }

  public static final class Coder extends AtomicCoder<RawRecord> {
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<Problem> PROBLEM = NullableCoder.of(Problem.coder());
    private static final int BYTES = 0;
    private static final int FIELDS = 1;
    private static final FactKind[] KINDS = FactKind.values();

    // The first byte: bit 0 typed or text, the kind's ordinal above it (an event's bytes are what
    // they were before there were kinds).
    @Override
    public void encode(RawRecord r, OutputStream out) throws IOException {
      int kind = r.kind().ordinal() << 1;
      if (r.fields() != null) {
        out.write(kind | FIELDS);
        RecordFields.Coder.INSTANCE.encode(r.fields(), out);
      } else {
        out.write(kind | BYTES);
        ByteArrayCoder.of().encode(r.payloadBytes(), out);
      }
      StringUtf8Coder.of().encode(r.source(), out);
      VarLongCoder.of().encode(r.receivedAtMillis(), out);
      PROBLEM.encode(r.readProblem(), out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      int first = in.read();
      boolean typed = (first & 1) == FIELDS;
      return new AutoValue_RawRecord(
          typed ? null : ByteArrayCoder.of().decode(in),
          typed ? RecordFields.Coder.INSTANCE.decode(in) : null,
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in),
          PROBLEM.decode(in),
          KINDS[first >> 1]);
    }
  }
}
