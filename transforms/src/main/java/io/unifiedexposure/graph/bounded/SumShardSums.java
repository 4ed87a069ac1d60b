package io.unifiedexposure.graph.bounded;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.rules.Contribution;
import io.unifiedexposure.graph.rules.SumContributions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The same sums for every (merchant, currency) of an aggregation shard at once (bounded input, see
 * {@link BoundedPath}): the input is what each key of the shard adds in one bundle of dedup
 * shards ({@link ShardSums}), each key summed by {@link SumContributions} when the output is extracted. Until then
 * the accumulator keeps the sums as they came, still encoded: a pre-combine before the shuffle
 * meets about one input per key on FlinkRunner ({@link DedupBoundedShard} sums a task's dedup
 * shards together), so summing there into a map only to encode the map again, key by key, was
 * work without gain.
 */
final class SumShardSums
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
      in.forEach((key, c) -> sums.compute(key, (k, a) -> sum.addInput(a == null ? sum.createAccumulator() : a, c)));
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
