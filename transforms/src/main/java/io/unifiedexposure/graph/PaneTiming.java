package io.unifiedexposure.graph;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * When a projection row was emitted, relative to the watermark.
 *
 * <ul>
 *   <li>EARLY: speculative, before the watermark passed the window end; more data may come.
 *   <li>ON_TIME: the watermark passed the window end; the answer for all data on time.
 *   <li>LATE: late data (within the allowed lateness) changed the answer after ON_TIME, or the
 *       window closed (then {@code is_final}).
 * </ul>
 */
public enum PaneTiming {
  EARLY,
  ON_TIME,
  LATE;

  static PaneTiming of(PaneInfo pane) {
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
