package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.PathFlags;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.live.KafkaSettings;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The live projections as a file: every row of the projections topic up to its current end, the
 * newest per window by the consumer contract's upsert rule (highest {@code pane_index}), written as
 * one Parquet file of projection rows, in key order. What {@code reconcile --live=<dir>} reads: a
 * reconcile that needs no broker, or one of an earlier day's state.
 */
public final class Snapshot {
  public static final String HELP = "exposure snapshot: the projections topic's newest row per window,"
      + " written to Parquet (reconcile's --live=<dir>).";
  public static final String FILE = "projections-snapshot.parquet";

  private Snapshot() {}

  /** Writes the snapshot; returns the rows written. */
  public static long run(SnapshotOptions options, PrintStream out) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    String output = PathFlags.outputDirectory("output", options.getOutput());
    if (!StoredFiles.parquetFiles(output).isEmpty()) {
      throw new IllegalArgumentException(
          "--output=" + output + " already holds Parquet files; choose a new --output or remove them");
    }
    KafkaSettings.checkReachable(options, options.getProjectionsTopic());
    List<ProjectionRow> panes = new ArrayList<>();
    for (ConsumerRecord<String, String> r : ReadBack.topic(
        KafkaSettings.clientConfig(options), options.getBootstrapServers(), options.getProjectionsTopic())) {
      panes.add(ProjectionRecords.fromJson(r.value()));
    }
    Map<String, ProjectionRow> newest = new TreeMap<>(ProjectionUpsert.newest(panes));
    Schema schema = ProjectionRecords.schema();
    List<GenericRecord> rows = new ArrayList<>(newest.size());
    newest.values().forEach(r -> rows.add(ProjectionRecords.toAvro(schema, r)));
    String file = StoredFiles.resolve(output, FILE);
    long written = StoredFiles.writeParquet(
        FileSystems.matchNewResource(file, false), ParquetIO.sink(schema), rows);
    out.printf("snapshot: %,d windows (newest of %,d panes on '%s') -> %s%n",
        written, panes.size(), options.getProjectionsTopic(), file);
    return written;
  }
}
