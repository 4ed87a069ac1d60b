package io.unifiedexposure.graph.bounded;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.rules.Contribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * What the counted facts of one bundle of dedup shards add to each (merchant, currency) of one
 * aggregation shard in one window (bounded input: {@link DedupBoundedShard}), held encoded: each key
 * and its contribution by their own coders, one after the other.
 *
 * <p>Encoded once, where the sums are made. FlinkRunner in batch serializes a multi-output step's
 * every element once per output (each output is a consumer of its own), and the bounded dedup has
 * four; with 10,000 merchants its sums carry about as many entries as there are facts, so encoding
 * them as a map, key by key, cost more than the dedup itself. Held as bytes,
 * each extra output copies them instead; only the window sums read them ({@link #forEach}). Written
 * with Jackson's unsynchronized {@link ByteArrayBuilder} and read with {@link BlockInput}, as {@link
 * ShardBatch} is: the JDK's byte-array streams take a lock per call.
 */
final class ShardSums {
  private final int entries;
  private final byte[] encoded;

  private ShardSums(int entries, byte[] encoded) {
    this.entries = entries;
    this.encoded = encoded;
  }

  /** How many (merchant, currency) this holds. */
  int size() {
    return entries;
  }

  /** Each (merchant, currency) and what it adds, in the order written. */
  void forEach(BiConsumer<ExposureKey, Contribution> action) {
    InputStream in = new BlockInput(encoded, 0, encoded.length);
    try {
      for (int i = 0; i < entries; i++) {
        action.accept(ExposureKey.coder().decode(in), Contribution.Coder.INSTANCE.decode(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("shard sums cannot be read back", e);
    }
  }

  /** The same as a map (the tests' view). */
  Map<ExposureKey, Contribution> toMap() {
    Map<ExposureKey, Contribution> map = new HashMap<>();
    forEach(map::put);
    return map;
  }

  /** A (merchant, currency) as {@link Writer#add(byte[], Contribution)} takes it. */
  static byte[] encode(ExposureKey key) {
    // With the unsynchronized builder the sums are written with, not the JDK's locking streams.
    ByteArrayBuilder bytes = new ByteArrayBuilder(32);
    try {
      ExposureKey.coder().encode(key, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("shard sums key cannot be written", e);
    }
    return bytes.toByteArray();
  }

  static Writer writer() {
    return new Writer();
  }

  /** Writes (merchant, currency) sums one by one; each key at most once. */
  static final class Writer {
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    private int entries;

    Writer add(ExposureKey key, Contribution contribution) {
      return add(encode(key), contribution);
    }

    /** The same, for a key already encoded ({@link #encode}): a writer of many rows per key. */
    Writer add(byte[] encodedKey, Contribution contribution) {
      try {
        bytes.write(encodedKey);
        Contribution.Coder.INSTANCE.encode(contribution, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("shard sums cannot be written", e);
      }
      entries++;
      return this;
    }

    boolean isEmpty() {
      return entries == 0;
    }

    ShardSums build() {
      return new ShardSums(entries, bytes.toByteArray());
    }
  }

  static final class Coder extends AtomicCoder<ShardSums> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(ShardSums sums, OutputStream out) throws IOException {
      VarIntCoder.of().encode(sums.entries, out);
      ByteArrayCoder.of().encode(sums.encoded, out);
    }

    @Override
    public ShardSums decode(InputStream in) throws IOException {
      int entries = VarIntCoder.of().decode(in);
      return new ShardSums(entries, ByteArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
