package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.RawRecord;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Archive rows as raw records, read with parquet-avro by column name: any column order, extra
 * columns ignored, every row group of every matched file. Only files whose {@code dt=} partition can
 * hold the backfill range are opened, and only selected rows leave. Each row's source is
 * {@code file:<path>#<row>}. A file that cannot be read becomes one more record, marked unreadable
 * ({@link RawRecord#unreadable}), which the graph dead-letters as {@code file.unreadable} naming the
 * file and how far it got.
 *
 * <p>A bounded source ({@link ArchiveSource}) split into files and runs of row groups, which a
 * runner hands to its workers as they become free, giving rows in blocks. One output, not rows
 * plus a second output of unreadable files: on FlinkRunner's batch mode a second output breaks the
 * chain from reading to decoding, and every row is then written out whole and read back before the
 * graph's first step.
 */
public final class ReadArchive extends PTransform<PBegin, PCollection<RawRecord>> {
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
        .apply("ReadParts", Read.from(new ArchiveSource(filepattern(archive), range)))
        .apply("Rows", Flatten.iterables())
        .setCoder(RawRecord.coder());
  }
}
