package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ProjectionRow;
import java.util.ArrayList;
import java.util.List;

/** Every live pane read back, with when it was published (the Kafka record time; null from a snapshot). */
public final class LivePanes {
  public final List<ProjectionRow> rows = new ArrayList<>();
  public final List<Long> publishedAt = new ArrayList<>();

  public LivePanes add(ProjectionRow row, Long publishedAtMillis) {
    rows.add(row);
    publishedAt.add(publishedAtMillis);
    return this;
  }
}
