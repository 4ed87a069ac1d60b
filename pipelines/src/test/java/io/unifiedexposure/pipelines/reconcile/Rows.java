package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.joda.time.Instant;

/** Crafted projection rows: one-day windows in July 2025, named by day of month. */
public final class Rows {
  static final long DAY = 86_400_000L;
  static final long JULY_1 = Instant.parse("2025-07-01T00:00:00Z").getMillis();

  private Rows() {}

  static long day(int dayOfMonth) {
    return JULY_1 + (dayOfMonth - 1) * DAY;
  }

  public static ProjectionRow pane(String merchant, String ccy, int day, long exposure, long count, PaneTiming timing,
      long index, boolean isFinal) {
    return ProjectionRow.of(merchant, ccy, new Instant(day(day)), new Instant(day(day) + DAY), exposure, count,
        timing, index, isFinal);
  }

  /** A window the live job closed. */
  static ProjectionRow closed(String merchant, String ccy, int day, long exposure, long count) {
    return pane(merchant, ccy, day, exposure, count, PaneTiming.LATE, 2, true);
  }

  /** A replay row. */
  static ProjectionRow replay(String merchant, String ccy, int day, long exposure, long count) {
    return pane(merchant, ccy, day, exposure, count, PaneTiming.ON_TIME, 0, true);
  }

  /** Projection rows written to a Parquet file, as a replay or a snapshot holds them. */
  public static void write(Path file, List<ProjectionRow> rows) throws IOException {
    Files.createDirectories(file.getParent());
    Schema schema = ProjectionRecords.schema();
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
        .withSchema(schema).build()) {
      for (ProjectionRow r : rows) {
        w.write(ProjectionRecords.toAvro(schema, r));
      }
    }
  }
}
