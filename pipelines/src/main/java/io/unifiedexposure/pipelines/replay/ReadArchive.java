package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Archive rows as raw records, read with parquet-avro by column name: any column order, extra
 * columns ignored, every row group of every matched file. Only files whose {@code dt=} partition can
 * hold the backfill range are opened, and only selected rows leave. Each row's source is
 * {@code file:<path>#<row>}. A file that cannot be read becomes one more record, marked unreadable
 * ({@link RawRecord#unreadable}), which the graph dead-letters as {@code file.unreadable} naming the
 * file and how far it got.
 *
 * <p>One output, not rows plus a second output of unreadable files: on FlinkRunner's batch mode a
 * second output breaks the chain from reading to decoding, and every row is then written out
 * whole and read back before the graph's first step (measured: the graph could not start before
 * the last file was read).
 */
public final class ReadArchive extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final String NAMESPACE = "replay";

  private final String archive;
  private final BackfillRange range;

  public ReadArchive(String archive, BackfillRange range) {
    this.archive = archive;
    this.range = range;
  }

  /** A directory means every Parquet file below it; anything with a wildcard is a glob as given. */
  static String filepattern(String archive) {
    if (archive.matches(".*[*?\\[{].*")) {
      return archive;
    }
    return (archive.endsWith("/") ? archive : archive + "/") + "**.parquet";
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply(
            "MatchArchive",
            FileIO.match().filepattern(filepattern(archive)).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("PrunePartitions", ParDo.of(new PrunePartitions(range)))
        .apply("SpreadFiles", Reshuffle.viaRandomKey())
        .apply(
            "ReadRows",
            ParDo.of(new ReadRows(range)))
        .setCoder(RawRecord.coder());
  }

  /** Drops files in a {@code dt=YYYY-MM-DD} folder outside the range; keeps all others. */
  static final class PrunePartitions extends DoFn<MatchResult.Metadata, MatchResult.Metadata> {
    private static final Pattern DT = Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})/");
    private final BackfillRange range;
    private final Counter skipped = Metrics.counter(NAMESPACE, "files_pruned");

    PrunePartitions(BackfillRange range) {
      this.range = range;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<MatchResult.Metadata> out) {
      Matcher m = DT.matcher(file.resourceId().toString());
      if (m.find()) {
        try {
          if (!range.mayHoldDate(LocalDate.parse(m.group(1)))) {
            skipped.inc();
            return;
          }
        } catch (DateTimeParseException notADate) {
          // Not a real date: read the file rather than guess.
        }
      }
      out.output(file);
    }
  }

  static final class ReadRows extends DoFn<MatchResult.Metadata, RawRecord> {
    private final BackfillRange range;
    private final Counter files = Metrics.counter(NAMESPACE, "files_read");
    private final Counter rows = Metrics.counter(NAMESPACE, "rows_read");
    private final Counter outside = Metrics.counter(NAMESPACE, "rows_outside_selection");
    private transient Configuration conf;

    ReadRows(BackfillRange range) {
      this.range = range;
    }

    @Setup
    public void setup() {
      conf = new Configuration(false);
      conf.setBoolean("parquet.avro.readInt96AsFixed", true);
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<RawRecord> out) {
      String path = file.resourceId().toString();
      long index = 0;
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new BeamInputFile(file))
              .withDataModel(GenericData.get())
              .withConf(conf)
              .build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read(), index++) {
          rows.inc();
          if (range.selects(ArchiveRecords.eventTimeMillis(row), ArchiveRecords.merchantId(row))) {
            out.output(ArchiveRecords.toRawRecord(row, path, index));
          } else {
            outside.inc();
          }
        }
        files.inc();
      } catch (IOException | RuntimeException e) {
        String why = "cannot read Parquet file after " + index + " rows: " + e;
        out.output(
            RawRecord.unreadable(
                path.getBytes(StandardCharsets.UTF_8),
                "file:" + path + "#" + index,
                0L,
                Problem.of("file", "unreadable", why)));
      }
    }
  }
}
