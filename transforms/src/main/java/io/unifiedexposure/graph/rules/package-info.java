/**
 * What both execution paths must agree on: decoding and counting records, the dedup verdict and its
 * winner rule, contributions and their sums, the windows and triggers, the projection row builder,
 * and the tags a path's outputs leave under. A change here changes live and replay alike.
 */
package io.unifiedexposure.graph.rules;
