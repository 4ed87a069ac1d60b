package io.unifiedexposure.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays of Parquet archives: our own archive layout (written by the live job's archive transform)
 * and files from a plain parquet-avro writer, checked against the plain-Java oracle.
 */
class ReplaySpec {
  private static final WindowGrid GRID = ExposureGraph.create().grid();
  @TempDir static Path dir;
  private static RandomHistory history;
  private static Path ownArchive;

  @BeforeAll
  static void writeOwnArchive() throws Exception {
    history = RandomHistory.generate(11, 600, 4, 6, GRID);
    ownArchive = dir.resolve("archive");
    ArchiveFixtures.writeOwnArchive(history.shuffledRawRecords(3), ownArchive);
  }

  private static ReplayOptions options(String archive, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("--archive=" + archive, "--output=" + output));
    args.addAll(List.of(extra));
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation().as(ReplayOptions.class);
  }

  private static Map<String, ProjectionRow> replay(ReplayOptions o) throws Exception {
    PipelineResult.State state = ReplayExposure.run(o);
    assertEquals(PipelineResult.State.DONE, state);
    List<ProjectionRow> rows = ReadBack.parquetRows(Path.of(o.getOutput(), "projections")).stream()
        .map(ProjectionRecords::fromAvro).collect(Collectors.toList());
    Map<String, ProjectionRow> byKey = new TreeMap<>();
    for (ProjectionRow r : rows) {
      assertTrue(byKey.put(ProjectionUpsert.key(r), r) == null, "exactly one row per window: " + r);
      assertTrue(r.isFinal(), "a replay closes every window: " + r);
      assertEquals(PaneTiming.ON_TIME, r.paneTiming(), "a replay's row is its window's on-time pane: " + r);
    }
    return byKey;
  }

  private static void assertEqualsOracle(Map<String, long[]> oracle, Map<String, ProjectionRow> rows) {
    assertEquals(oracle.keySet(), rows.keySet());
    oracle.forEach((k, t) -> {
      assertEquals(t[0], rows.get(k).exposureMinor(), k);
      assertEquals(t[1], rows.get(k).eventCount(), k);
    });
  }

  @Test
  void ownArchiveReplaysToTheOracle() throws Exception {
    Map<String, ProjectionRow> rows = replay(options(ownArchive.toString(), dir.resolve("out-own")));
    assertEqualsOracle(Oracle.totals(history.arrivals, GRID), rows);
    List<GenericRecord> dead = ReadBack.parquetRows(dir.resolve("out-own/dead-letter"));
    assertTrue(dead.stream().allMatch(d -> d.get("reasons").toString().contains("event_id.conflict")));
    assertTrue(dead.stream().allMatch(d -> d.get("source").toString().startsWith("file:")), "file coordinates");
  }

  @Test
  void foreignWriterFilesReplay_microsExtraColumnsOtherOrderRowGroupsAndABadRow() throws Exception {
    Path foreign = dir.resolve("foreign");
    List<Oracle.Copy> copies = history.arrivals;
    int half = copies.size() / 2;
    ArchiveFixtures.writeForeignFile(copies.subList(0, half), foreign.resolve("a.parquet"), false);
    ArchiveFixtures.writeForeignFile(copies.subList(half, copies.size()), foreign.resolve("b.parquet"), true);
    Map<String, ProjectionRow> rows = replay(options(foreign.toString(), dir.resolve("out-foreign")));
    // Without received_at the conflict rule falls back to the fingerprint, so compare against that.
    List<Oracle.Copy> unknownArrival = copies.stream().map(c -> new Oracle.Copy(c.event, 0L)).collect(Collectors.toList());
    assertEqualsOracle(Oracle.totals(unknownArrival, GRID), rows);
    List<GenericRecord> dead = ReadBack.parquetRows(dir.resolve("out-foreign/dead-letter"));
    GenericRecord bad = dead.stream().filter(d -> d.get("reasons").toString().contains("currency.pattern"))
        .findFirst().orElseThrow();
    assertTrue(bad.get("source").toString().matches("file:.*b\\.parquet#\\d+"), bad.get("source").toString());
  }

  @Test
  void anUnreadableFileIsOneDeadLetterAndTheRestReplays() throws Exception {
    Path archive = dir.resolve("with-corrupt");
    try (var files = java.nio.file.Files.walk(ownArchive)) {
      for (Path f : (Iterable<Path>) files.filter(java.nio.file.Files::isRegularFile)::iterator) {
        Path copy = archive.resolve(ownArchive.relativize(f));
        java.nio.file.Files.createDirectories(copy.getParent());
        java.nio.file.Files.copy(f, copy);
      }
    }
    Path corrupt = archive.resolve("dt=2025-07-02/corrupt.parquet");
    java.nio.file.Files.createDirectories(corrupt.getParent());
    java.nio.file.Files.writeString(corrupt, "not a parquet file");
    Path out = dir.resolve("out-corrupt");
    Map<String, ProjectionRow> rows = replay(options(archive.toString(), out));

    assertEqualsOracle(Oracle.totals(history.arrivals, GRID), rows);
    List<GenericRecord> unreadable = ReadBack.parquetRows(out.resolve("dead-letter")).stream()
        .filter(d -> d.get("reasons").toString().contains("file.unreadable")).collect(Collectors.toList());
    assertEquals(1, unreadable.size(), "one dead letter for the file");
    assertTrue(unreadable.get(0).get("source").toString().matches("file:.*corrupt\\.parquet#0"),
        unreadable.get(0).get("source").toString());
    String details = unreadable.get(0).get("reasons").toString();
    assertTrue(details.contains("cannot read " + corrupt) && details.contains(corrupt + " is not a Parquet file")
        && details.contains("no row readable"), "names the file, not a Java object: " + details);
    // Counted in like every record: records in == counted + duplicates + dead letters.
    Map<String, Long> c = ReplayManifest.read(out.toString()).counters;
    assertEquals(1L, c.get("dead_letter.file.unreadable"));
    assertEquals(c.get("records_in"),
        c.get("facts_counted") + c.get("duplicates_dropped") + c.get("dead_letters") + c.getOrDefault("beyond_lateness", 0L));
  }

  @Test
  void backfillRecomputesOnlyTheSelectedWindowsAndMerchants() throws Exception {
    Map<String, ProjectionRow> full = replay(options(ownArchive.toString(), dir.resolve("out-full")));
    Map<String, ProjectionRow> some = replay(options(ownArchive.toString(), dir.resolve("out-some"),
        "--from=2025-07-02T06:00:00Z", "--to=2025-07-04", "--merchants=m1,m3"));
    long from = java.time.Instant.parse("2025-07-02T00:00:00Z").toEpochMilli();
    long to = java.time.Instant.parse("2025-07-04T00:00:00Z").toEpochMilli();
    Map<String, ProjectionRow> expected = new HashMap<>();
    full.forEach((k, r) -> {
      long start = r.windowStart().getMillis();
      if (start >= from && start < to && (r.merchantId().equals("m1") || r.merchantId().equals("m3"))) {
        expected.put(k, r);
      }
    });
    assertTrue(expected.size() >= 4, "the range selects several windows");
    // The manifest beside the output says what was recomputed, from what, and what the graph counted.
    ReplayManifest manifest = ReplayManifest.read(dir.resolve("out-some").toString());
    assertEquals(from, manifest.fromMillis);
    assertEquals(to, manifest.toMillis);
    assertEquals(java.util.Set.of("m1", "m3"), manifest.merchants);
    assertEquals("DONE", manifest.state);
    assertEquals(ownArchive.toString(), manifest.archive);
    long counted = some.values().stream().mapToLong(ProjectionRow::eventCount).sum();
    assertEquals(counted, manifest.counters.get(io.unifiedexposure.graph.ExposureMetrics.FACTS_COUNTED));
    assertEquals(new TreeMap<>(expected).keySet(), some.keySet(), "the full replay's windows in range, only those");
    // Pane numbering is the runner's business; the values must be the full replay's.
    expected.forEach((k, r) -> {
      assertEquals(r.exposureMinor(), some.get(k).exposureMinor(), k);
      assertEquals(r.eventCount(), some.get(k).eventCount(), k);
    });
  }

  @Test
  void anExistingReplayIsNeverOverwritten() throws Exception {
    replay(options(ownArchive.toString(), dir.resolve("out-once"), "--merchants=m0"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReplayExposure.create(options(ownArchive.toString(), dir.resolve("out-once"))));
    assertTrue(e.getMessage().contains("already holds a replay"), e.getMessage());
  }

  @Test
  void backfillRangeWidensToWholeWindows() {
    BackfillRange r = BackfillRange.of("2025-07-02T06:00:00Z", "2025-07-04T00:00:01Z", null, GRID);
    assertEquals(java.time.Instant.parse("2025-07-02T00:00:00Z").toEpochMilli(), r.fromMillis());
    assertEquals(java.time.Instant.parse("2025-07-05T00:00:00Z").toEpochMilli(), r.toMillis());
    assertTrue(r.mayHoldDate(java.time.LocalDate.parse("2025-07-04")));
    assertTrue(!r.mayHoldDate(java.time.LocalDate.parse("2025-07-01")));
    assertThrows(IllegalArgumentException.class, () -> BackfillRange.of("2025-07-04", "2025-07-02", null, GRID));
    assertThrows(IllegalArgumentException.class, () -> BackfillRange.of(null, null, " , ", GRID));
    assertEquals("2025-07-01T00:00:00Z", EventEncoder.isoUtc(BackfillRange.parse("from", "2025-07-01")).replace(".000", ""));
  }
}
