package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  /**
   * The live projections as {@code --live} names them: {@code kafka} reads {@code projectionsTopic}
   * from {@code bootstrapServers} (with publication times), anything else is a directory of Parquet
   * projection rows (a snapshot, without them).
   */
  public static LivePanes read(String live, Map<String, Object> kafka, String bootstrapServers, String projectionsTopic)
      throws IOException {
    LivePanes panes = new LivePanes();
    if (live.equals("kafka")) {
      for (ConsumerRecord<String, String> r : ReadBack.topic(kafka, bootstrapServers, projectionsTopic)) {
        panes.add(ProjectionRecords.fromJson(r.value()), r.timestamp());
      }
    } else {
      for (GenericRecord g : ReadBack.parquetRows(live)) {
        panes.add(ProjectionRecords.fromAvro(g), null);
      }
    }
    return panes;
  }

  public LivePanes add(ProjectionRow row, Long publishedAtMillis) {
    rows.add(row);
    publishedAt.add(publishedAtMillis);
    return this;
  }
}
