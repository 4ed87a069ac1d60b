package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.graph.ReceivedEvent;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import io.unifiedexposure.pipelines.format.ToAvroRow;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Archives every valid record as received (duplicates included) to Parquet under
 * {@code <archive>/dt=YYYY-MM-DD/} by event date. Files are cut on processing time, so a record is
 * in a visible file within the flush interval even while the watermark stands still. File names carry
 * the run id and the pane, so a restarted job never overwrites an earlier file.
 */
public final class ParquetArchive extends PTransform<PCollection<ReceivedEvent>, PDone> {
  private final String archive;
  private final Duration flushInterval;
  private final String runId;

  public ParquetArchive(String archive, Duration flushInterval, String runId) {
    if (flushInterval.getMillis() <= 0) {
      throw new IllegalArgumentException("--archiveFlushInterval must be positive, was " + flushInterval);
    }
    this.archive = archive;
    this.flushInterval = flushInterval;
    this.runId = runId;
  }

  @Override
  public PDone expand(PCollection<ReceivedEvent> valid) {
    Schema schema = ArchiveRecords.schema();
    valid
        .apply("ToArchiveRow", ParDo.of(new ToAvroRow<ReceivedEvent>(schema, ArchiveRecords::toArchive)))
        .setCoder(AvroCoder.of(schema))
        .apply(
            "CutFilesOnProcessingTime",
            Window.<GenericRecord>into(new GlobalWindows())
                .triggering(
                    Repeatedly.forever(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(flushInterval)))
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply(
            "WriteParquetByEventDate",
            FileIO.<String, GenericRecord>writeDynamic()
                .by(new EventDate())
                .withDestinationCoder(StringUtf8Coder.of())
                .via(ParquetIO.sink(schema))
                .to(archive)
                .withNaming(new Naming(runId))
                .withNumShards(1));
    return PDone.in(valid.getPipeline());
  }

  /** The event date (UTC) of an archive row: its partition. */
  static final class EventDate implements SerializableFunction<GenericRecord, String> {
    @Override
    public String apply(GenericRecord r) {
      long millis = (Long) r.get("event_time");
      return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(millis), ZoneOffset.UTC).toString();
    }
  }

  /**
   * {@code dt=<date>/part-<run>-<pane>-<unique>-<shard>-of-<shards>.parquet}. The unique part is
   * needed: FlinkRunner reports pane index 0 for every flush of a date, so names without it made
   * each flush overwrite the previous file. Should a finalize be retried, a record may be written
   * twice; an identical copy is a duplicate the graph drops on replay, so totals never change.
   */
  static final class Naming implements SerializableFunction<String, FileIO.Write.FileNaming> {
    private final String runId;

    Naming(String runId) {
      this.runId = runId;
    }

    @Override
    public FileIO.Write.FileNaming apply(String date) {
      return (BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression c) ->
          String.format("dt=%s/part-%s-%05d-%s-%d-of-%d.parquet", date, runId, pane.getIndex(),
              java.util.UUID.randomUUID().toString().substring(0, 8), shardIndex, numShards);
    }
  }
}
