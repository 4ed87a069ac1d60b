package io.unifiedexposure.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import io.unifiedexposure.testing.Facts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive source split into parts (files, and runs of row groups of a large file) reads every
 * row exactly once, each with the source coordinate it has when its file is read whole.
 */
class ArchiveSourceTest {
  private static final int ROWS = 20_000;

  @TempDir Path dir;

  @Test
  void partsOfAFileReadEachRowOnceWithItsFileRowCoordinate() throws Exception {
    Path file = dir.resolve("part-0.parquet");
    writeSmallRowGroups(file);
    String pattern = ReadArchive.filepattern(dir.toString());
    PipelineOptions options = PipelineOptionsFactory.create();

    ArchiveSource whole = new ArchiveSource(pattern, BackfillRange.all());
    List<RawRecord> once = readAll(whole, options);
    assertEquals(ROWS, once.size(), "read whole, every row");
    for (int i = 0; i < ROWS; i++) {
      assertTrue(once.get(i).source().startsWith("file:" + file + "#" + i + " "), once.get(i).source());
      assertEquals("evt-" + i, EventDecoder.current().decode(once.get(i)).event.eventId());
    }

    List<? extends BoundedSource<List<RawRecord>>> parts =
        new ArchiveSource(pattern, BackfillRange.all(), 16 * 1024L).split(1L, options);
    assertTrue(parts.size() >= 4, "a file of many row groups is read in parts, got " + parts.size());
    long estimated = 0;
    List<RawRecord> inParts = new ArrayList<>();
    for (BoundedSource<List<RawRecord>> part : parts) {
      estimated += part.getEstimatedSizeBytes(options);
      inParts.addAll(readAll(part, options));
    }
    assertEquals(Files.size(file), estimated, "the parts cover the file");
    assertEquals(ROWS, inParts.size(), "every row once");
    inParts.sort((a, b) -> Long.compare(rowOf(a), rowOf(b)));
    for (int i = 0; i < ROWS; i++) {
      assertEquals(once.get(i), inParts.get(i), "row " + i + " as when read whole");
    }
  }

  private static long rowOf(RawRecord r) {
    String s = r.source();
    return Long.parseLong(s.substring(s.indexOf('#') + 1, s.indexOf(' ')));
  }

  private static List<RawRecord> readAll(BoundedSource<List<RawRecord>> source, PipelineOptions options)
      throws Exception {
    List<RawRecord> rows = new ArrayList<>();
    try (BoundedSource.BoundedReader<List<RawRecord>> reader = source.createReader(options)) {
      for (boolean more = reader.start(); more; more = reader.advance()) {
        rows.addAll(reader.getCurrent());
      }
    }
    return rows;
  }

  private static void writeSmallRowGroups(Path file) throws Exception {
    Schema schema = ArchiveRecords.schema();
    try (ParquetWriter<GenericRecord> w = ArchiveFixtures.smallRowGroupWriter(file, schema)) {
      for (int i = 0; i < ROWS; i++) {
        w.write(
            ArchiveRecords.toArchive(
                schema,
                Facts.capture("evt-" + i, "m" + (i % 7), 100 + i, "EUR")
                    .at(new Instant(1_751_328_000_000L + i * 1000L))
                    .build(),
                i,
                "kafka:payments/0@" + i));
      }
    }
  }
}
