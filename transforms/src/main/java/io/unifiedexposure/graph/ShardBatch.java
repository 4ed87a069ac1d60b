package io.unifiedexposure.graph;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Decoded records of one dedup shard from one bundle of bounded input, on their way to the dedup
 * shuffle as one element (see {@link DecodeIntoShardBatches}): its valid events, held encoded, and
 * its refused records.
 *
 * <p>The events are encoded once, when they join the batch, and decoded once, by the dedup ({@link
 * #events()}). In between, through the shuffle's sort buffers, combine and exchanges, the batch is
 * copied as one block of bytes instead of being decoded and encoded again record by record. The
 * dedup reads each copy's event; its raw record (payload, source, receipt time) is decoded only when
 * asked for ({@link Copy#received()}): for the copies of a fact that has more than one, or a
 * conflict's dead letter.
 */
final class ShardBatch {
  private final byte[] events;
  private final int eventCount;
  final List<DeadLetter> refused;

  private ShardBatch(byte[] events, int eventCount, List<DeadLetter> refused) {
    this.events = events;
    this.eventCount = eventCount;
    this.refused = refused;
  }

  /** The valid events, decoded as they are iterated. */
  Iterable<Copy> events() {
    return () -> new Iterator<>() {
      private final ByteArrayInputStream in = new ByteArrayInputStream(events);
      private int left = eventCount;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public Copy next() {
        if (left == 0) {
          throw new NoSuchElementException();
        }
        left--;
        try {
          ExposureEvent event = ExposureEvent.coder().decode(in);
          int rawLength = VarInt.decodeInt(in);
          int rawOffset = events.length - in.available();
          in.skip(rawLength);
          return new Copy(event, events, rawOffset, rawLength);
        } catch (IOException e) {
          throw new UncheckedIOException("a shard batch does not decode", e);
        }
      }
    };
  }

  /** One valid event of a batch, with its raw record still encoded until asked for. */
  static final class Copy {
    private final ExposureEvent event;
    private final byte[] block;
    private final int rawOffset;
    private final int rawLength;

    private Copy(ExposureEvent event, byte[] block, int rawOffset, int rawLength) {
      this.event = event;
      this.block = block;
      this.rawOffset = rawOffset;
      this.rawLength = rawLength;
    }

    ExposureEvent event() {
      return event;
    }

    /** The event with its raw record, decoded now. */
    ReceivedEvent received() {
      try {
        return ReceivedEvent.of(
            event, RawRecord.coder().decode(new ByteArrayInputStream(block, rawOffset, rawLength)));
      } catch (IOException e) {
        throw new UncheckedIOException("a shard batch does not decode", e);
      }
    }
  }

  /** A batch being filled. */
  static final class Builder {
    private final ByteArrayOutputStream events = new ByteArrayOutputStream(64 * 1024);
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
    private int eventCount;
    private final List<DeadLetter> refused = new ArrayList<>(0);

    /** Adds the event, then its raw record behind its length, so that a reader can skip it. */
    void add(ReceivedEvent event) {
      try {
        ExposureEvent.coder().encode(event.event(), events);
        raw.reset();
        RawRecord.coder().encode(event.raw(), raw);
        VarInt.encode(raw.size(), events);
        raw.writeTo(events);
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
      eventCount++;
    }

    void add(DeadLetter refusal) {
      refused.add(refusal);
    }

    int size() {
      return eventCount + refused.size();
    }

    ShardBatch build() {
      return new ShardBatch(events.toByteArray(), eventCount, refused);
    }
  }

  static final class Coder extends AtomicCoder<ShardBatch> {
    static final Coder INSTANCE = new Coder();
    private static final ListCoder<DeadLetter> REFUSED = ListCoder.of(DeadLetter.coder());

    @Override
    public void encode(ShardBatch b, OutputStream out) throws IOException {
      VarIntCoder.of().encode(b.eventCount, out);
      ByteArrayCoder.of().encode(b.events, out);
      REFUSED.encode(b.refused, out);
    }

    @Override
    public ShardBatch decode(InputStream in) throws IOException {
      int count = VarIntCoder.of().decode(in);
      return new ShardBatch(ByteArrayCoder.of().decode(in), count, REFUSED.decode(in));
    }
  }
}
