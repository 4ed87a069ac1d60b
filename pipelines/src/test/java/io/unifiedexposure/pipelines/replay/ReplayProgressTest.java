package io.unifiedexposure.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.testing.RandomHistory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay's progress lines: rows read of the archive's footer total, elapsed, rate; none when quiet. */
class ReplayProgressTest {
  private static final Pattern PROGRESS =
      Pattern.compile("exposure replay: ([\\d,]+) of ([\\d,]+) rows read \\(([\\d.]+)%\\), \\d+ s[,;] .*");
  @TempDir static Path dir;
  private static Path archive;
  private static int rows;

  @BeforeAll
  static void writeArchive() {
    RandomHistory history = RandomHistory.generate(5, 3000, 4, 6, ExposureGraph.create().grid());
    rows = history.shuffledRawRecords(2).size();
    archive = dir.resolve("archive");
    ArchiveFixtures.writeOwnArchive(history.shuffledRawRecords(2), archive);
  }

  @Test
  void aLineSaysRowsReadOfTheTotalElapsedAndRate() {
    assertEquals("exposure replay: 1,234,567 of 5,000,000 rows read (24.7%), 12 s, 102,880 rows/s",
        ReplayProgress.line(1_234_567, 5_000_000L, 12.4, 102_880));
    assertEquals("exposure replay: 1,234,567 rows read, 3 s, 411,522 rows/s",
        ReplayProgress.line(1_234_567, null, 3.0, 411_522));
    assertEquals("exposure replay: 5,000,000 of 5,000,000 rows read (100.0%), 30 s; summing and writing the windows",
        ReplayProgress.line(5_000_000, 5_000_000L, 30, 0));
  }

  @Test
  void theTotalIsTheFootersRowsInsideTheRange() {
    String pattern = ReadArchive.filepattern(archive.toString());
    assertEquals(rows, ReplayProgress.footerRows(pattern, BackfillRange.all()));
    // The fixture's history lies in 2025: a range in 2031 leaves every dt= folder out.
    assertEquals(0L, ReplayProgress.footerRows(pattern, BackfillRange.of("2031-01-01", "2031-01-02", null,
        ExposureGraph.create().grid())));
    assertNull(ReplayProgress.footerRows("nosuch://bucket/*.parquet", BackfillRange.all()), "an archive that cannot be listed: unknown");
  }

  @Test
  void aReplayPrintsWhereItIsThenItsSummary() throws Exception {
    String console = replay("progress", "--progressInterval=PT0.1S");
    List<String> lines = console.lines().toList();
    assertTrue(lines.get(0).startsWith("exposure replay: " + archive + " -> "), console);
    long progressLines = 0;
    long lastRead = -1;
    for (String line : lines) {
      Matcher m = PROGRESS.matcher(line);
      if (m.matches()) {
        progressLines++;
        long read = Long.parseLong(m.group(1).replace(",", ""));
        assertEquals(rows, Long.parseLong(m.group(2).replace(",", "")), line);
        assertTrue(read >= lastRead, "rows read never go back: " + console);
        lastRead = read;
      }
    }
    assertTrue(progressLines > 0, console);
    assertTrue(console.contains("job finished: DONE"), console);
    assertTrue(console.contains(String.format("records in %,d:", rows)), console);
  }

  @Test
  void quietLeavesTheSummaryOnly() throws Exception {
    String console = replay("quiet", "--progressInterval=PT0.1S", "--quiet");
    assertFalse(console.contains("rows read"), console);
    assertFalse(console.contains(" -> "), console);
    assertTrue(console.startsWith("job finished: DONE"), console);
  }

  private static String replay(String output, String... flags) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = new String[3 + flags.length];
    args[0] = "replay";
    args[1] = "--archive=" + archive;
    args[2] = "--output=" + dir.resolve(output);
    System.arraycopy(flags, 0, args, 3, flags.length);
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
