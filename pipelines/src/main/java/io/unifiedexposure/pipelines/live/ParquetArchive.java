package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import io.unifiedexposure.pipelines.format.ToAvroRow;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
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
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Archives every valid record as received (duplicates included) to Parquet under
 * {@code <archive>/dt=YYYY-MM-DD/} by event date.
 *
 * <pre>
 *   ToArchiveRow ─ KeyByEventDate ─ CutOnProcessingTime ─ GroupIntoFiles ─ WriteParquetFiles
 * </pre>
 *
 * <p>Rows are batched per date by a trigger and a {@link GroupByKey}: a batch is cut at most the
 * flush interval (processing time) after its first row, or at {@link #MAX_ROWS_PER_FILE} rows, so a
 * record is in a visible file within the flush interval even while the watermark stands still. Each
 * batch becomes one file, written under a hidden name and renamed into place in the same step
 * ({@link WriteArchiveFile}), so a file is either complete or not there.
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
    valid
        .apply("ToArchiveRow", ParDo.of(new ToAvroRow<ReceivedEvent>(schema, ArchiveRecords::toArchive)))
        .setCoder(AvroCoder.of(schema))
        .apply("KeyByEventDate", WithKeys.of(new EventDate()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
        .apply("CutOnProcessingTime", cutEvery(flushInterval))
        .apply("GroupIntoFiles", GroupByKey.create())
        .apply("WriteParquetFiles", ParDo.of(new WriteArchiveFile(archive, schema, runId)));
    return PDone.in(valid.getPipeline());
  }

  /**
   * A pane per date at most {@code flush} after its first row, or at {@link #MAX_ROWS_PER_FILE}
   * rows, whichever comes first; each row in exactly one pane.
   */
  private static Window<KV<String, GenericRecord>> cutEvery(Duration flush) {
    return Window.<KV<String, GenericRecord>>configure()
        .triggering(
            Repeatedly.forever(
                AfterFirst.of(
                    AfterPane.elementCountAtLeast(MAX_ROWS_PER_FILE),
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
