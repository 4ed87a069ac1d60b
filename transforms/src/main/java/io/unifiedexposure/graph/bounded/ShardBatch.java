package io.unifiedexposure.graph.bounded;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Decoded records of one dedup shard from one bundle of bounded input, on their way to the dedup
 * shuffle as one element (see {@link DecodeIntoShardBatches}): its valid events, held encoded, and
 * its refused records.
 *
 * <p>The events are encoded once, when they join the batch, and decoded once, by the dedup ({@link
 * #events()}). In between, through the shuffle's sort buffers, combine and exchanges, the batch is
 * copied as one block of bytes instead of being decoded and encoded again record by record. The
 * block is written with Jackson's unsynchronized {@link ByteArrayBuilder} and read with {@link
 * BlockInput}, not the JDK's byte-array streams, whose every call takes a lock. The
 * dedup reads each copy's event; its raw record (payload, source, receipt time) is decoded only when
 * asked for ({@link Copy#received()}): for the copies of a fact that has more than one, or a
 * conflict's dead letter.
 */
final class ShardBatch {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final int WHOLE = 0;
  private static final int CANONICAL = 1;

  private final byte[] block;
  /** Per event: where its raw record starts and where the next event starts, in {@link #block}. */
  private final int[] rawStarts;
  private final int[] ends;
  /** The beginnings of sources (up to their first {@code #}) the batch's records share. */
  private final List<String> sourcePrefixes;
  final List<DeadLetter> refused;

  private ShardBatch(
      byte[] block, int[] rawStarts, int[] ends, List<String> sourcePrefixes, List<DeadLetter> refused) {
    this.block = block;
    this.rawStarts = rawStarts;
    this.ends = ends;
    this.sourcePrefixes = sourcePrefixes;
    this.refused = refused;
  }

  /** How many valid events the batch holds. */
  int eventCount() {
    return rawStarts.length;
  }

  /** The valid events, as handles that decode on demand ({@link Copy#event()}). */
  Iterable<Copy> events() {
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < rawStarts.length;
      }

      @Override
      public Copy next() {
        if (next == rawStarts.length) {
          throw new NoSuchElementException();
        }
        return copy(next++);
      }
    };
  }

  /** The valid event at {@code index} (from 0, in the order {@link #events()} gives them). */
  Copy copy(int index) {
    return new Copy(this, index == 0 ? 0 : ends[index - 1], rawStarts[index], ends[index]);
  }

  /**
   * One valid event of a batch: where it lies in the batch's block, decoded each time it is asked
   * for. A holder of many copies (the dedup's copies of facts met more than once) then keeps no
   * decoded events alive, only the blocks it holds anyway.
   */
  static final class Copy {
    private final ShardBatch batch;
    private final int start;
    private final int rawStart;
    private final int rawEnd;

    private Copy(ShardBatch batch, int start, int rawStart, int rawEnd) {
      this.batch = batch;
      this.start = start;
      this.rawStart = rawStart;
      this.rawEnd = rawEnd;
    }

    /** The event, decoded now. */
    ExposureEvent event() {
      try {
        return ExposureEvent.coder().decode(new BlockInput(batch.block, start, rawStart));
      } catch (IOException e) {
        throw new UncheckedIOException("a shard batch does not decode", e);
      }
    }

    /** The event with its raw record, decoded now. */
    ReceivedEvent received() {
      ExposureEvent event = event();
      BlockInput in = new BlockInput(batch.block, rawStart, rawEnd);
      try {
        if (in.read() == WHOLE) {
          return ReceivedEvent.of(event, RawRecord.coder().decode(in));
        }
        int prefix = VarInt.decodeInt(in);
        String source = (prefix == 0 ? "" : batch.sourcePrefixes.get(prefix - 1)) + STRING.decode(in);
        long receivedAt = VarLongCoder.of().decode(in);
        return ReceivedEvent.of(event, RawRecord.ofFields(EventEncoder.fields(event), source, receivedAt));
      } catch (IOException e) {
        throw new UncheckedIOException("a shard batch does not decode", e);
      }
    }
  }

  /** A batch being filled. */
  static final class Builder {
    private final ByteArrayBuilder block = new ByteArrayBuilder(64 * 1024);
    private int[] rawStarts = new int[64];
    private int[] ends = new int[64];
    private int eventCount;
    private final Map<String, Integer> sourcePrefixes = new LinkedHashMap<>();
    private String lastPrefix;
    private int lastPrefixIndex;
    private final List<DeadLetter> refused = new ArrayList<>(0);

    /**
     * Adds the event, then its raw record, noting where each ends so a reader can skip the raw. A
     * raw record whose typed values are the event's own wire form (every valid row of an archive
     * we wrote) is not written again: only its source and receipt time, the source's beginning
     * shared by the batch. About half a record's bytes through the shuffle.
     */
    void add(ReceivedEvent event) {
      if (eventCount == rawStarts.length) {
        rawStarts = Arrays.copyOf(rawStarts, eventCount * 2);
        ends = Arrays.copyOf(ends, eventCount * 2);
      }
      try {
        ExposureEvent.coder().encode(event.event(), block);
        rawStarts[eventCount] = block.size();
        RawRecord raw = event.raw();
        if (raw.fields() != null
            && raw.readProblem() == null
            && EventEncoder.isWireFormOf(raw.fields(), event.event())) {
          block.write(CANONICAL);
          String source = raw.source();
          int hash = source.indexOf('#');
          if (hash < 0) {
            VarInt.encode(0, block);
            STRING.encode(source, block);
          } else {
            VarInt.encode(prefixIndex(source, hash), block);
            STRING.encode(source.substring(hash + 1), block);
          }
          VarLongCoder.of().encode(raw.receivedAtMillis(), block);
        } else {
          block.write(WHOLE);
          RawRecord.coder().encode(raw, block);
        }
        ends[eventCount] = block.size();
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
      eventCount++;
    }

    /** The number of the source's beginning up to {@code hash}, its first '#', from 1. */
    private int prefixIndex(String source, int hash) {
      // Rows of a batch mostly come from one file: the last beginning, without a lookup.
      if (lastPrefix != null && lastPrefix.length() == hash + 1 && source.startsWith(lastPrefix)) {
        return lastPrefixIndex;
      }
      String prefix = source.substring(0, hash + 1);
      Integer known = sourcePrefixes.get(prefix);
      if (known == null) {
        known = sourcePrefixes.size() + 1;
        sourcePrefixes.put(prefix, known);
      }
      lastPrefix = prefix;
      lastPrefixIndex = known;
      return known;
    }

    void add(DeadLetter refusal) {
      refused.add(refusal);
    }

    int size() {
      return eventCount + refused.size();
    }

    ShardBatch build() {
      return new ShardBatch(
          block.toByteArray(),
          Arrays.copyOf(rawStarts, eventCount),
          Arrays.copyOf(ends, eventCount),
          new ArrayList<>(sourcePrefixes.keySet()),
          refused);
    }
  }

  static final class Coder extends AtomicCoder<ShardBatch> {
    static final Coder INSTANCE = new Coder();
    private static final ListCoder<DeadLetter> REFUSED = ListCoder.of(DeadLetter.coder());
    private static final ListCoder<String> PREFIXES = ListCoder.of(StringUtf8Coder.of());

    /**
     * The block, then per event the lengths of its event and its raw record, then the shared source
     * beginnings, then the refused.
     */
    @Override
    public void encode(ShardBatch b, OutputStream out) throws IOException {
      ByteArrayCoder.of().encode(b.block, out);
      VarInt.encode(b.rawStarts.length, out);
      int previousEnd = 0;
      for (int i = 0; i < b.rawStarts.length; i++) {
        VarInt.encode(b.rawStarts[i] - previousEnd, out);
        VarInt.encode(b.ends[i] - b.rawStarts[i], out);
        previousEnd = b.ends[i];
      }
      PREFIXES.encode(b.sourcePrefixes, out);
      REFUSED.encode(b.refused, out);
    }

    @Override
    public ShardBatch decode(InputStream in) throws IOException {
      byte[] block = ByteArrayCoder.of().decode(in);
      int count = VarInt.decodeInt(in);
      int[] rawStarts = new int[count];
      int[] ends = new int[count];
      int previousEnd = 0;
      for (int i = 0; i < count; i++) {
        rawStarts[i] = previousEnd + VarInt.decodeInt(in);
        ends[i] = rawStarts[i] + VarInt.decodeInt(in);
        previousEnd = ends[i];
      }
      return new ShardBatch(block, rawStarts, ends, PREFIXES.decode(in), REFUSED.decode(in));
    }
  }
}
