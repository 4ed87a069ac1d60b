package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import io.unifiedexposure.pipelines.storage.BeamInputFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the rows of archive parts ({@link ArchiveSource.Part}) with parquet-avro, by column name
 * (strings as {@link String}: {@link ReadSchema}), and hands on those the backfill range selects as
 * raw records with the file and row as their source ({@link ArchiveRecords#toRawRecord}), in blocks
 * of {@value #BLOCK_ROWS}. A part that cannot be read ends with one more record, marked unreadable
 * ({@link RawRecord#unreadable}), naming the file and how far it got; the graph dead-letters it as
 * {@code file.unreadable}.
 */
final class ArchiveReader extends BoundedSource.BoundedReader<List<RawRecord>> {
  /**
   * Rows per element. FlinkRunner gathers every metric of the task after each element a source
   * gives, so rows leave in blocks.
   */
  static final int BLOCK_ROWS = 1000;

  /** The reader's counters' namespace, and the rows it has read (a replay's progress follows it). */
  static final String NAMESPACE = "replay";
  static final String ROWS_READ = "rows_read";
  /** The counter of rows lost in files that could be read only in part, or not at all. */
  static final String ROWS_LOST = "archive_rows_lost";

  private final ArchiveSource source;
  private final Iterator<ArchiveSource.Part> pending;
  private final BackfillRange range;
  private final Configuration conf = new Configuration(false);
  /** The settings the last file opened is read with (its {@link ReadSchema}), for its other parts. */
  private @Nullable Configuration fileConf;
  private @Nullable String fileConfPath;
  private final Counter parts = Metrics.counter(NAMESPACE, "parts_read");
  private final Counter rows = Metrics.counter(NAMESPACE, ROWS_READ);
  private final Counter outside = Metrics.counter(NAMESPACE, "rows_outside_selection");
  /** Rows a file's footer promised that could not be read; in the graph's namespace, beside its books. */
  private final Counter lost = Metrics.counter(ExposureMetrics.NAMESPACE, ROWS_LOST);

  private @Nullable ParquetReader<GenericRecord> reader;
  private String path = "";
  private ArchiveSource.@Nullable Part part;
  private long row;
  private @Nullable List<RawRecord> current;
  private @Nullable Exception openFailure;
  private ArchiveRecords.@Nullable Layout layout;

  ArchiveReader(ArchiveSource source, List<ArchiveSource.Part> parts, BackfillRange range) {
    this.source = source;
    this.pending = parts.iterator();
    this.range = range;
    conf.setBoolean("parquet.avro.readInt96AsFixed", true);
  }

  @Override
  public boolean start() throws IOException {
    return advance();
  }

  /** The next block: up to {@value #BLOCK_ROWS} selected rows, fewer where the last part ends. */
  @Override
  public boolean advance() throws IOException {
    List<RawRecord> block = new ArrayList<>(BLOCK_ROWS);
    long read = 0;
    long skipped = 0;
    while (block.size() < BLOCK_ROWS) {
      if (reader == null && !openNext()) {
        break;
      }
      if (openFailure != null) {
        block.add(unreadable(openFailure));
        openFailure = null;
        continue;
      }
      try {
        GenericRecord r = reader.read();
        if (r == null) {
          parts.inc();
          closeReader();
          continue;
        }
        long index = row++;
        read++;
        if (layout == null || !layout.describes(r.getSchema())) {
          layout = ArchiveRecords.layout(r.getSchema());
        }
        Long eventTime = layout.eventTimeMillis(r);
        RawRecord raw = range.selects(eventTime, layout.merchantId(r)) ? layout.toRawRecord(r, path, index, eventTime) : null;
        if (raw != null && range.knownAt(raw.receivedAtMillis())) {
          block.add(raw);
        } else {
          skipped++;
        }
      } catch (IOException | RuntimeException e) {
        block.add(unreadable(e));
        closeQuietly();
      }
    }
    rows.inc(read);
    outside.inc(skipped);
    current = block.isEmpty() ? null : block;
    return current != null;
  }

  /** Opens the next part, or notes why it cannot be opened; false when no part is left. */
  private boolean openNext() {
    if (!pending.hasNext()) {
      return false;
    }
    ArchiveSource.Part part = pending.next();
    this.part = part;
    path = part.file().resourceId().toString();
    row = part.firstRow();
    try {
      BeamInputFile file = new BeamInputFile(part.file());
      if (!path.equals(fileConfPath)) {
        fileConf = new Configuration(conf);
        AvroReadSupport.setAvroReadSchema(fileConf, ReadSchema.of(file, conf));
        fileConfPath = path;
      }
      ParquetReader.Builder<GenericRecord> builder =
          AvroParquetReader.<GenericRecord>builder(file).withDataModel(GenericData.get()).withConf(fileConf);
      if (!part.isWhole()) {
        builder = builder.withFileRange(part.start(), part.end());
      }
      reader = builder.build();
    } catch (IOException | RuntimeException e) {
      openFailure = e;
    }
    return true;
  }

  /**
   * The record that stands for what could not be read of the current part: its reason names the
   * file, how many of the rows its footer promised were read and how many were lost (counted in
   * {@value #ROWS_LOST}), and the cause.
   */
  private RawRecord unreadable(Exception e) {
    long read = part == null ? 0L : row - part.firstRow();
    long promised = promisedRows();
    String books = promised < 0
        ? "no row readable (no Parquet footer)"
        : "read " + read + " of " + promised + " rows, " + Math.max(0L, promised - read) + " lost";
    if (promised > read) {
      lost.inc(promised - read);
    }
    return RawRecord.unreadable(
        path.getBytes(StandardCharsets.UTF_8),
        "file:" + path + "#" + row,
        0L,
        Problem.of("file", "unreadable", "cannot read " + path + " past row " + row + ": " + books + "; " + cause(e)));
  }

  /** The rows the footer says the current part holds, or -1 when there is no readable footer. */
  private long promisedRows() {
    if (part == null) {
      return -1L;
    }
    try (ParquetFileReader footer = ParquetFileReader.open(new BeamInputFile(part.file()))) {
      long rows = 0L;
      for (BlockMetaData group : footer.getFooter().getBlocks()) {
        long start = group.getStartingPos();
        if (part.isWhole() || (start >= part.start() && start < part.end())) {
          rows += group.getRowCount();
        }
      }
      return rows;
    } catch (IOException | RuntimeException noFooter) {
      return -1L;
    }
  }

  private static String cause(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  @Override
  public List<RawRecord> getCurrent() {
    if (current == null) {
      throw new NoSuchElementException();
    }
    return current;
  }

  @Override
  public void close() throws IOException {
    closeReader();
  }

  private void closeReader() throws IOException {
    ParquetReader<GenericRecord> r = reader;
    reader = null;
    if (r != null) {
      r.close();
    }
  }

  private void closeQuietly() {
    try {
      closeReader();
    } catch (IOException | RuntimeException ignored) {
      // Already reported as unreadable.
    }
  }

  @Override
  public ArchiveSource getCurrentSource() {
    return source;
  }
}
