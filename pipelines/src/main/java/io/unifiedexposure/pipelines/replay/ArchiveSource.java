package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.storage.BeamInputFile;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The archive as a bounded source of blocks of rows ({@link ArchiveReader}): the whole archive
 * until a runner splits it, then one part per file, or per run of row groups of a file larger than
 * {@value #MAX_PART_BYTES} bytes. A runner that
 * hands parts to its workers as they ask for them (FlinkRunner's batch mode does) keeps every worker
 * busy to the end, where spreading whole files at random over the workers can leave one with most
 * of them.
 *
 * <p>Files in a {@code dt=YYYY-MM-DD} folder outside the backfill range are not opened. Each part
 * reads its rows with {@link ArchiveReader}, numbering them from the first row of its first row
 * group, so a row's source coordinate is the same whichever part reads it.
 */
final class ArchiveSource extends BoundedSource<List<RawRecord>> {
  /** Files above this size are read in parts of about this size, by whole row groups. */
  static final long MAX_PART_BYTES = 64L << 20;

  private static final Pattern DT = Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})/");

  private final String pattern;
  private final BackfillRange range;
  private final long partBytes;
  private final @Nullable Part part;
  /** The archive's files as matched once: a runner asks the whole archive its size, then splits it. */
  private transient @Nullable List<MatchResult.Metadata> matched;

  ArchiveSource(String pattern, BackfillRange range) {
    this(pattern, range, MAX_PART_BYTES, null);
  }

  /** With parts of about {@code partBytes} (tests split small files with it). */
  ArchiveSource(String pattern, BackfillRange range, long partBytes) {
    this(pattern, range, partBytes, null);
  }

  private ArchiveSource(String pattern, BackfillRange range, long partBytes, @Nullable Part part) {
    this.pattern = pattern;
    this.range = range;
    this.partBytes = partBytes;
    this.part = part;
  }

  /**
   * Row groups of one file: from byte {@code start} (inclusive) to {@code end} (exclusive) by their
   * first byte, whose first row is row {@code firstRow} of the file. The whole file is {@code [0,
   * length)} from row 0.
   */
  record Part(MatchResult.Metadata file, long start, long end, long firstRow) implements java.io.Serializable {
    static Part whole(MatchResult.Metadata file) {
      return new Part(file, 0L, Long.MAX_VALUE, 0L);
    }

    boolean isWhole() {
      return start == 0L && end == Long.MAX_VALUE;
    }
  }

  @Override
  public List<ArchiveSource> split(long desiredBundleSizeBytes, PipelineOptions options) throws IOException {
    if (part != null) {
      return List.of(this);
    }
    List<MatchResult.Metadata> files = files();
    // Largest first: handed out in this order, the big parts do not come last.
    files.sort(Comparator.comparingLong(MatchResult.Metadata::sizeBytes).reversed());
    List<ArchiveSource> parts = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      for (Part p : partsOf(file, partBytes)) {
        parts.add(new ArchiveSource(pattern, range, partBytes, p));
      }
    }
    return parts.isEmpty() ? List.of(this) : parts;
  }

  /** A file's parts: whole when small or not readable as Parquet (its reader then reports why). */
  private static List<Part> partsOf(MatchResult.Metadata file, long partBytes) {
    if (file.sizeBytes() <= partBytes) {
      return List.of(Part.whole(file));
    }
    List<BlockMetaData> groups;
    try (ParquetFileReader footer = ParquetFileReader.open(new BeamInputFile(file))) {
      groups = footer.getFooter().getBlocks();
    } catch (IOException | RuntimeException unreadable) {
      return List.of(Part.whole(file));
    }
    List<Part> parts = new ArrayList<>();
    long row = 0L;
    int first = 0;
    long bytes = 0L;
    long firstRow = 0L;
    for (int i = 0; i < groups.size(); i++) {
      bytes += groups.get(i).getCompressedSize();
      row += groups.get(i).getRowCount();
      boolean last = i == groups.size() - 1;
      if (bytes >= partBytes || last) {
        long start = first == 0 ? 0L : groups.get(first).getStartingPos();
        long end = last ? Long.MAX_VALUE : groups.get(i + 1).getStartingPos();
        parts.add(new Part(file, start, end, firstRow));
        first = i + 1;
        firstRow = row;
        bytes = 0L;
      }
    }
    return parts.isEmpty() ? List.of(Part.whole(file)) : parts;
  }

  /** The archive's files that can hold selected rows (a new list; the archive is listed once). */
  private List<MatchResult.Metadata> files() throws IOException {
    if (matched != null) {
      return new ArrayList<>(matched);
    }
    List<MatchResult.Metadata> kept = selectedFiles(pattern, range);
    matched = List.copyOf(kept);
    return kept;
  }

  /** The files {@code pattern} matches that can hold rows of {@code range} (a new list). */
  static List<MatchResult.Metadata> selectedFiles(String pattern, BackfillRange range) throws IOException {
    List<MatchResult.Metadata> kept = new ArrayList<>();
    for (MatchResult.Metadata file : StoredFiles.matching(pattern)) {
      if (mayHoldSelectedRows(file, range)) {
        kept.add(file);
      }
    }
    return kept;
  }

  /** False for a file in a {@code dt=YYYY-MM-DD} folder outside the range; true for any other. */
  static boolean mayHoldSelectedRows(MatchResult.Metadata file, BackfillRange range) {
    Matcher m = DT.matcher(file.resourceId().toString());
    if (m.find()) {
      try {
        return range.mayHoldDate(LocalDate.parse(m.group(1)));
      } catch (DateTimeParseException notADate) {
        return true; // Not a real date: read the file rather than guess.
      }
    }
    return true;
  }

  @Override
  public long getEstimatedSizeBytes(PipelineOptions options) throws IOException {
    if (part != null) {
      return part.isWhole() ? part.file().sizeBytes() : Math.min(part.end(), part.file().sizeBytes()) - part.start();
    }
    return files().stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
  }

  @Override
  public BoundedReader<List<RawRecord>> createReader(PipelineOptions options) throws IOException {
    List<Part> parts = new ArrayList<>();
    if (part != null) {
      parts.add(part);
    } else {
      files().forEach(f -> parts.add(Part.whole(f)));
    }
    return new ArchiveReader(this, parts, range);
  }

  @Override
  public Coder<List<RawRecord>> getOutputCoder() {
    return ListCoder.of(RawRecord.coder());
  }
}
