/**
 * The one exposure graph ({@link io.unifiedexposure.graph.ExposureGraph}): its outputs, options,
 * window arithmetic and counter names. Its rules live in {@code graph.rules}; its two execution paths
 * in {@code graph.streaming} and {@code graph.bounded}, chosen in one line of {@code expand}.
 */
package io.unifiedexposure.graph;
