package io.unifiedexposure.graph.rules;

import io.unifiedexposure.graph.WindowGrid;
import java.io.Serializable;

/** What {@code ExposureGraph} hands either execution path: plain values, never an options object. */
public final class PathSettings implements Serializable {
  /** Shards of {@code event_id} the dedup is keyed by. */
  public final int dedupShards;
  /** The window arithmetic (window ends and expiries). */
  public final WindowGrid grid;
  /** The windows and their triggers. */
  public final ExposureWindows windows;
  /** Whether the path also hands out every valid record as received. */
  public final boolean validEvents;
  /** How long streaming dedup sums facts before handing them on, ms; 0 hands on each at once. */
  public final long precombineMillis;
  /** Whether the dedup stage also hands out each valid copy's outcome ({@code FactLineage}). */
  public final boolean lineage;

  public PathSettings(
      int dedupShards, WindowGrid grid, ExposureWindows windows, boolean validEvents, long precombineMillis,
      boolean lineage) {
    this.dedupShards = dedupShards;
    this.grid = grid;
    this.windows = windows;
    this.validEvents = validEvents;
    this.precombineMillis = precombineMillis;
    this.lineage = lineage;
  }
}
