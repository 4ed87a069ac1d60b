package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import io.unifiedexposure.pipelines.format.ToAvroRow;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterFirst;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Archives every valid record as received (duplicates included) to Parquet under
 * {@code <archive>/dt=YYYY-MM-DD/} by event date.
 *
 * <pre>
 *   ToArchiveRow ─ KeyByEventDate ─ BatchPerDate ─┬─ CutBatchesOnProcessingTime ─ GroupBatchesIntoFiles ─ WriteParquetBatches
 *                                                 └─ (retired, empty) CutOnProcessingTime ─ GroupIntoFiles ─ WriteParquetFiles
 * </pre>
 *
 * <p>Rows are gathered per date within a bundle ({@link BatchRowsPerDate}), then grouped into files
 * by a trigger and a {@link GroupByKey}: a file is cut at most the flush interval (processing time)
 * after its first batch, or at {@link #MAX_ROWS_PER_FILE} rows, so a record is in a visible file
 * within the flush interval even while the watermark stands still. Each file is written under a
 * hidden name and renamed into place in the same step ({@link WriteArchiveFile}), so a file is
 * either complete or not there.
 *
 * <p>The retired steps grouped single rows. They stay in the graph, fed nothing, for upgrades: Flink
 * restores state by step name, so a savepoint taken by an earlier version restores the rows it held
 * in {@code GroupIntoFiles}, and the restored trigger writes them within the flush interval. Remove
 * them once no savepoint of an earlier version is left to restore.
 *
 * <p>Not {@code GroupIntoBatches}: on DirectRunner it is a stateful DoFn with processing-time timers,
 * an area with open DirectRunner consistency bugs (apache/beam#20966). It was suspected in a
 * DirectRunner live-job stall whose cause later turned out to be elsewhere (the topic-tail probe, see
 * {@link EventTimePolicy}); the trigger machinery used here is the one the projections' early panes
 * already depend on, so the archive relies on nothing more.
 *
 * <p>Not {@code FileIO.writeDynamic}: its streaming path finalizes files three shuffles after writing
 * them, and on FlinkRunner a written temp file was sometimes never finalized (its records missing
 * from the archive for good, with nothing in the logs).
 */
public final class ParquetArchive extends PTransform<PCollection<ReceivedEvent>, PDone> {
  /** Rows at which a batch is cut before its flush interval is up. */
  public static final int MAX_ROWS_PER_FILE = 200_000;

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
    PCollectionTuple batched =
        valid
            .apply("ToArchiveRow", ParDo.of(new ToAvroRow<ReceivedEvent>(schema, ArchiveRecords::toArchive)))
            .setCoder(AvroCoder.of(schema))
            .apply("KeyByEventDate", WithKeys.of(new EventDate()).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
            .apply("BatchPerDate", ParDo.of(new BatchRowsPerDate<GenericRecord>()).withOutputTags(BATCHES, TupleTagList.of(RETIRED)));
    batched
        .get(BATCHES)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(AvroCoder.of(schema))))
        .apply("CutBatchesOnProcessingTime", cutEvery(flushInterval, MAX_ROWS_PER_FILE / BatchRowsPerDate.MAX_BATCH))
        .apply("GroupBatchesIntoFiles", GroupByKey.create())
        .apply("WriteParquetBatches", ParDo.of(WriteArchiveFile.ofBatches(archive, schema, runId)));
    batched
        .get(RETIRED)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
        .apply("CutOnProcessingTime", cutEvery(flushInterval, MAX_ROWS_PER_FILE))
        .apply("GroupIntoFiles", GroupByKey.create())
        .apply("WriteParquetFiles", ParDo.of(WriteArchiveFile.ofRows(archive, schema, runId)));
    return PDone.in(valid.getPipeline());
  }

  private static final TupleTag<KV<String, List<GenericRecord>>> BATCHES =
      new TupleTag<KV<String, List<GenericRecord>>>() {};
  /** Never written to: the input of the retired steps (see the class comment). */
  private static final TupleTag<KV<String, GenericRecord>> RETIRED = new TupleTag<KV<String, GenericRecord>>() {};

  /**
   * A pane per date at most {@code flush} after its first element, or at {@code maxElements}
   * elements, whichever comes first; each element in exactly one pane.
   */
  static <T> Window<KV<String, T>> cutEvery(Duration flush, int maxElements) {
    return Window.<KV<String, T>>configure()
        .triggering(
            Repeatedly.forever(
                AfterFirst.of(
                    AfterPane.elementCountAtLeast(maxElements),
                    AfterProcessingTime.pastFirstElementInPane().plusDelayOf(flush))))
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /** The event date (UTC) of an archive row: its partition. */
  static final class EventDate implements SerializableFunction<GenericRecord, String> {
    @Override
    public String apply(GenericRecord r) {
      long millis = (Long) r.get("event_time");
      return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(millis), ZoneOffset.UTC).toString();
    }
  }
}
