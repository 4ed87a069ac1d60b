package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.graph.WindowGrid;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;

/** Every live pane read back, with when it was published (the Kafka record time; null from a snapshot). */
public final class LivePanes {
  public final List<ProjectionRow> rows = new ArrayList<>();
  public final List<Long> publishedAt = new ArrayList<>();

  /**
   * A {@link DataClock} for the instants reconcile measures from: each pane's window end, the
   * watermarks its panes can show (the end's last millisecond, and the window's expiry), and when
   * the input's watermark passed the end (the end plus {@code maxOutOfOrderness}).
   */
  DataClock dataClock(WindowGrid grid, Duration maxOutOfOrderness) {
    List<Long> times = new ArrayList<>();
    for (ProjectionRow r : rows) {
      long end = r.windowEnd().getMillis();
      times.add(end);
      times.add(end - 1);
      times.add(grid.expiry(r.windowStart().getMillis()));
      times.add(end + maxOutOfOrderness.getMillis());
    }
    return new DataClock(times, grid);
  }

  public LivePanes add(ProjectionRow row, Long publishedAtMillis) {
    rows.add(row);
    publishedAt.add(publishedAtMillis);
    return this;
  }
}
