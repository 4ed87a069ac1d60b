package io.unifiedexposure.graph.bounded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.rules.Contribution;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.junit.jupiter.api.Test;

/**
 * The bounded window sums ({@link SumShardSums}) give each (merchant, currency)
 * the sum of what every shard's sums add to it, however the runner splits the inputs among
 * accumulators and whether the accumulators crossed a shuffle (their coder) before being merged;
 * reading the output leaves the accumulator as it was (panes accumulate).
 */
class SumShardSumsTest {
  private final SumShardSums fn = new SumShardSums();

  @Test
  void eachKeySumsWhatEveryShardAdds() throws Exception {
    ExposureKey a = ExposureKey.of("m-1", "EUR");
    ExposureKey b = ExposureKey.of("m-1", "USD");
    ExposureKey c = ExposureKey.of("m-ü-2", "EUR");
    ShardSums first = sums(Map.of(a, Contribution.of(100, 1), b, Contribution.of(-5, 1)));
    ShardSums second = sums(Map.of(a, Contribution.of(-30, 2), c, Contribution.of(7L << 40, 3)));
    ShardSums third = sums(Map.of(b, Contribution.of(5, -1), c, Contribution.of(1, 1)));

    // Split as a pre-combine would: one input in one accumulator, two in another, each shuffled.
    List<ShardSums> left = roundTrip(fn.addInput(fn.createAccumulator(), first));
    List<ShardSums> right = roundTrip(fn.addInput(fn.addInput(fn.createAccumulator(), second), third));
    List<ShardSums> merged = fn.mergeAccumulators(List.of(left, right, fn.createAccumulator()));

    Map<ExposureKey, Contribution> expected =
        Map.of(a, Contribution.of(70, 3), b, Contribution.of(0, 0), c, Contribution.of((7L << 40) + 1, 4));
    assertEquals(expected, fn.extractOutput(merged));
    assertEquals(expected, fn.extractOutput(merged), "extracting the output changed the accumulator");
    assertEquals(Map.of(), fn.extractOutput(fn.createAccumulator()));
  }

  private static ShardSums sums(Map<ExposureKey, Contribution> entries) {
    ShardSums.Writer writer = ShardSums.writer();
    new HashMap<>(entries).forEach(writer::add);
    return writer.build();
  }

  private List<ShardSums> roundTrip(List<ShardSums> acc) throws Exception {
    Coder<List<ShardSums>> coder = fn.getAccumulatorCoder(CoderRegistry.createDefault(), ShardSums.Coder.INSTANCE);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    coder.encode(acc, bytes);
    return coder.decode(new ByteArrayInputStream(bytes.toByteArray()));
  }
}
