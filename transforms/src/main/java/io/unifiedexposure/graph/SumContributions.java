package io.unifiedexposure.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Sums contributions; liftable, so runners pre-combine before the shuffle. */
final class SumContributions extends Combine.CombineFn<Contribution, long[], Contribution> {
  @Override
  public long[] createAccumulator() {
    return new long[2];
  }

  @Override
  public long[] addInput(long[] acc, Contribution c) {
    acc[0] += c.exposureMinor();
    acc[1] += c.eventCount();
    return acc;
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

  /**
   * The same sums for every (merchant, currency) of an aggregation shard at once (bounded input, see
   * {@link ExposureGraph}): the input is what each key of the shard adds in one bundle of dedup
   * shards ({@link ShardSums}), each key summed by {@link SumContributions} when the output is extracted. Until then
   * the accumulator keeps the sums as they came, still encoded: a pre-combine before the shuffle
   * meets about one input per key on FlinkRunner ({@link DedupBoundedShard} sums a task's dedup
   * shards together), so summing there into a map only to encode the map again, key by key, was
   * work without gain.
   */
  static final class PerKeyInShard
      extends Combine.CombineFn<ShardSums, List<ShardSums>, Map<ExposureKey, Contribution>> {
    private final SumContributions sum = new SumContributions();

    @Override
    public List<ShardSums> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<ShardSums> addInput(List<ShardSums> acc, ShardSums in) {
      acc.add(in);
      return acc;
    }

    @Override
    public List<ShardSums> mergeAccumulators(Iterable<List<ShardSums>> accs) {
      List<ShardSums> merged = createAccumulator();
      accs.forEach(merged::addAll);
      return merged;
    }

    @Override
    public Map<ExposureKey, Contribution> extractOutput(List<ShardSums> acc) {
      Map<ExposureKey, long[]> sums = new HashMap<>();
      for (ShardSums in : acc) {
        in.forEach((key, c) -> sum.addInput(sums.computeIfAbsent(key, k -> sum.createAccumulator()), c));
      }
      Map<ExposureKey, Contribution> out = new HashMap<>(sums.size() * 4 / 3 + 1);
      sums.forEach((k, a) -> out.put(k, sum.extractOutput(a)));
      return out;
    }

    @Override
    public Coder<List<ShardSums>> getAccumulatorCoder(CoderRegistry registry, Coder<ShardSums> input) {
      return ListCoder.of(ShardSums.Coder.INSTANCE);
    }

    @Override
    public Coder<Map<ExposureKey, Contribution>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<ShardSums> input) {
      return MapCoder.of(ExposureKey.coder(), Contribution.Coder.INSTANCE);
    }
  }

  static final class PairCoder extends AtomicCoder<long[]> {
    static final PairCoder INSTANCE = new PairCoder();

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
