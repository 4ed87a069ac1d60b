package io.unifiedexposure.contract;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * When a projection row was emitted, relative to the watermark.
 *
 * <ul>
 *   <li>EARLY: speculative, before the watermark passed the window end; more data may come.
 *   <li>ON_TIME: the watermark passed the window end; the answer for all data on time.
 *   <li>LATE: late data (within the allowed lateness) changed the answer after ON_TIME, or the
 *       window closed (then {@code is_final}).
 *   <li>REPAIR: never emitted by the graph. Published by {@code exposure reconcile --execute} with
 *       a replay's value for a window that drifted, at a pane_index above every live pane of that
 *       window, so a consumer following the upsert contract ends with the replay's value.
 * </ul>
 */
public enum PaneTiming {
  EARLY,
  ON_TIME,
  LATE,
  REPAIR;

  public static PaneTiming of(PaneInfo pane) {
    switch (pane.getTiming()) {
      case EARLY:
        return EARLY;
      case ON_TIME:
        return ON_TIME;
      case LATE:
        return LATE;
      default:
        // UNKNOWN only appears without a trigger firing (never after our Combine); treat as final.
        return ON_TIME;
    }
  }
}
