package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Iterables;
import org.apache.beam.sdk.values.KV;

/**
 * Writes one batch of one event date as one Parquet file, {@code dt=<date>/part-<run>-<unique>.parquet}:
 * first under a hidden name ({@code .part-...parquet.inprogress}, which no reader of {@code *.parquet}
 * picks up), then renamed into place. Should a batch be written twice (a retried bundle, a restore
 * from a checkpoint), its rows are in two files; identical copies are duplicates the graph drops on
 * replay, so totals never change.
 */
final class WriteArchiveFile<T> extends DoFn<KV<String, Iterable<T>>, Void> {
  private final RowsOf<T> rowsOf;
  private final String archive;
  private final String schemaJson;
  private final String runId;
  private final Counter files = Metrics.counter("archive", "files_written");
  private final Counter rows = Metrics.counter("archive", "rows_written");
  private transient Schema schema;

  /** Writes a group of rows ({@code GenericRecord}s) as a file. */
  static WriteArchiveFile<GenericRecord> ofRows(String archive, Schema schema, String runId) {
    return new WriteArchiveFile<>(new Rows(), archive, schema, runId);
  }

  /** Writes a group of batches of rows ({@link BatchRowsPerDate}) as one file. */
  static WriteArchiveFile<List<GenericRecord>> ofBatches(String archive, Schema schema, String runId) {
    return new WriteArchiveFile<>(new Batches(), archive, schema, runId);
  }

  private WriteArchiveFile(RowsOf<T> rowsOf, String archive, Schema schema, String runId) {
    this.rowsOf = rowsOf;
    this.archive = archive;
    this.schemaJson = schema.toString();
    this.runId = runId;
  }

  /**
   * Columns that hold a new value in almost every row are written plain: a dictionary of them only
   * fills up and falls back, and building it was a large part of the archive writer's time.
   */
  private static final Map<String, String> UNIQUE_COLUMNS_PLAIN = Map.of(
      "parquet.enable.dictionary#event_id", "false",
      "parquet.enable.dictionary#source", "false",
      "parquet.enable.dictionary#event_time", "false",
      "parquet.enable.dictionary#received_at", "false");

  @Setup
  public void setup() {
    schema = new Schema.Parser().parse(schemaJson);
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<T>> batch) throws IOException {
    ResourceId dir =
        FileSystems.matchNewResource(archive, true)
            .resolve("dt=" + batch.getKey(), StandardResolveOptions.RESOLVE_DIRECTORY);
    String name = "part-" + runId + "-" + UUID.randomUUID() + ".parquet";
    ResourceId hidden = dir.resolve("." + name + ".inprogress", StandardResolveOptions.RESOLVE_FILE);
    ResourceId visible = dir.resolve(name, StandardResolveOptions.RESOLVE_FILE);

    FileIO.Sink<GenericRecord> sink = ParquetIO.sink(schema).withConfiguration(UNIQUE_COLUMNS_PLAIN);
    long n = StoredFiles.writeParquet(hidden, sink, rowsOf.rows(batch.getValue()));
    FileSystems.rename(List.of(hidden), List.of(visible));
    files.inc();
    rows.inc(n);
  }

  /** A group's archive rows. */
  private interface RowsOf<T> extends Serializable {
    Iterable<GenericRecord> rows(Iterable<T> group);
  }

  private static final class Rows implements RowsOf<GenericRecord> {
    @Override
    public Iterable<GenericRecord> rows(Iterable<GenericRecord> rows) {
      return rows;
    }
  }

  private static final class Batches implements RowsOf<List<GenericRecord>> {
    @Override
    public Iterable<GenericRecord> rows(Iterable<List<GenericRecord>> batches) {
      return Iterables.concat(batches);
    }
  }
}
