package io.unifiedexposure.graph.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Sums contributions; liftable, so runners pre-combine before the shuffle. An accumulator is never
 * changed once made: {@code addInput} returns a new one. The live job's heap state shares state
 * values with a checkpoint still being written (FlinkRunner's {@code --fasterCopy}, see
 * docs/design.md), so an accumulator changed in place could reach a checkpoint with a record that
 * came after it, and be counted again when that record is read again after a restore.
 */
public final class SumContributions extends Combine.CombineFn<Contribution, long[], Contribution> {
  @Override
  public long[] createAccumulator() {
    return new long[2];
  }

  @Override
  public long[] addInput(long[] acc, Contribution c) {
    return new long[] {acc[0] + c.exposureMinor(), acc[1] + c.eventCount()};
  }

  @Override
  public long[] mergeAccumulators(Iterable<long[]> accs) {
    long[] merged = createAccumulator();
    for (long[] a : accs) {
      merged[0] += a[0];
      merged[1] += a[1];
    }
    return merged;
  }

  @Override
  public Contribution extractOutput(long[] acc) {
    return Contribution.of(acc[0], acc[1]);
  }

  @Override
  public Coder<long[]> getAccumulatorCoder(CoderRegistry registry, Coder<Contribution> input)
      throws CannotProvideCoderException {
    return PairCoder.INSTANCE;
  }

  @Override
  public Coder<Contribution> getDefaultOutputCoder(CoderRegistry registry, Coder<Contribution> input) {
    return Contribution.Coder.INSTANCE;
  }

  /** The accumulator's coder: exposure sum, then fact count. */
  public static final class PairCoder extends AtomicCoder<long[]> {
    public static final PairCoder INSTANCE = new PairCoder();

    @Override
    public void encode(long[] v, OutputStream out) throws IOException {
      VarLongCoder.of().encode(v[0], out);
      VarLongCoder.of().encode(v[1], out);
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      return new long[] {VarLongCoder.of().decode(in), VarLongCoder.of().decode(in)};
    }
  }
}
