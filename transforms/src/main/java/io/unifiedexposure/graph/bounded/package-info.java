/**
 * The graph for bounded input (replays, backfills): an execution shortcut, with the same rules
 * ({@code graph.rules}) and outputs as the streaming path and held equal to it by {@code
 * ConvergenceSpec}. A bounded input has no late data, so it is decoded into batches per dedup shard,
 * deduplicated one shard at a time, summed per aggregation shard and fired once per window.
 */
package io.unifiedexposure.graph.bounded;
