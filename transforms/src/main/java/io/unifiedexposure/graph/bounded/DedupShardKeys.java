package io.unifiedexposure.graph.bounded;

/**
 * The keys bounded input's dedup shuffle groups shard batches by ({@link DecodeIntoShardBatches}):
 * one per dedup shard, chosen so that FlinkRunner's batch shuffle spreads the usual sixteen shards
 * evenly over its workers. Only the grouping sees a key; which key a shard has changes no outcome.
 *
 * <p>FlinkRunner in batch sends a key to worker {@code murmurHash(Arrays.hashCode(encoded key)) %
 * parallelism}. The keys 0..15 fall 6/10 on two workers and 2/8/4/2 on four, so one worker
 * deduplicated most of the records while the others waited. The sixteen keys below fall evenly on 2, 4, 8 and
 * 16 workers ({@code DedupShardKeysSpec} checks this on FlinkRunner itself). Shards beyond sixteen
 * (more asked for with {@code --dedupShards}) get plain distinct keys.
 */
final class DedupShardKeys {
  private static final int[] BALANCED = {0, 1, 2, 4, 7, 8, 9, 10, 13, 14, 16, 22, 26, 32, 45, 84};
  private static final int BEYOND = 100;

  private DedupShardKeys() {}

  /** The key of dedup shard {@code shard} (from 0). */
  static int of(int shard) {
    if (shard < 0) {
      throw new IllegalArgumentException("a dedup shard is numbered from 0, was " + shard);
    }
    return shard < BALANCED.length ? BALANCED[shard] : BEYOND + shard;
  }
}
