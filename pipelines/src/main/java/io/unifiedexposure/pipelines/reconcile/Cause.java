package io.unifiedexposure.pipelines.reconcile;

/**
 * Why a window drifted, most specific first: a drifted window takes the first cause it has
 * evidence for, and {@link #UNEXPLAINED} when it has none.
 */
public enum Cause {
  /** Facts for the window reached the live job after the window closed (beyond-lateness output). */
  BEYOND_LATENESS("beyond-lateness"),
  /** Input offsets that are neither archived nor dead-lettered fall in the window: the archive has a hole. */
  ARCHIVE_GAP("archive-gap"),
  /** Copies of one event_id with different content: live kept the first to arrive, replay its rule. */
  CONFLICTS("duplicates-or-conflicts"),
  /** Records for the window were refused as dead letters. */
  DEAD_LETTERS("dead-letters"),
  UNEXPLAINED("unexplained");

  private final String label;

  Cause(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
