package io.unifiedexposure.graph;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Keys a (merchant, currency) contribution by its aggregation shard, a stable hash of the
 * (merchant, currency) modulo the shard count: bounded input is summed per shard and window
 * ({@link ExposureGraph}), so a runner meets a few keys instead of one per (merchant, currency).
 */
final class KeyByAggregationShard
    extends DoFn<KV<ExposureKey, Contribution>, KV<Integer, KV<ExposureKey, Contribution>>> {
  private final int shards;

  KeyByAggregationShard(int shards) {
    this.shards = shards;
  }

  @ProcessElement
  public void process(
      @Element KV<ExposureKey, Contribution> c, OutputReceiver<KV<Integer, KV<ExposureKey, Contribution>>> out) {
    out.output(KV.of(Math.floorMod(c.getKey().hashCode(), shards), c));
  }
}
