package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.day;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.WindowGrid;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** Evidence lands on the window its record belongs to, once per record, with the exposure it carries. */
class EvidenceSourcesTest {
  private static final String EVENT =
      "{\"event_id\":\"e1\",\"merchant_id\":\"m1\",\"event_type\":\"REFUND\",\"amount_minor\":250,"
          + "\"currency\":\"EUR\",\"event_time\":\"2025-07-02T10:00:00Z\",\"corrects_event_id\":null,\"schema_version\":1}";
  private final EvidenceSources sources =
      new EvidenceSources(new WindowGrid(Duration.standardDays(1), Duration.standardDays(3)));

  private List<Evidence> at(String merchant, String ccy, int day) {
    return sources.index().forWindow(ProjectionUpsert.key(merchant, ccy, day(day)));
  }

  @Test
  void beyondLatenessFactIsPlacedOnItsWindowWithItsDelta() {
    sources.beyondLateness("{\"window_start\":\"2025-07-02T00:00:00Z\",\"window_end\":\"2025-07-03T00:00:00Z\","
        + "\"event\":" + EVENT + ",\"source\":\"kafka:events/1@42\",\"received_at\":\"2025-07-09T00:00:00Z\"}");
    List<Evidence> e = at("m1", "EUR", 2);
    assertEquals(1, e.size());
    assertEquals(Cause.BEYOND_LATENESS, e.get(0).cause);
    assertEquals(-250L, e.get(0).deltaMinor);
    assertEquals("kafka:events/1@42", e.get(0).source);
  }

  @Test
  void aConflictSeenByLiveAndByReplayIsOnePieceOfEvidence() {
    sources.deadLetter(EVENT, List.of("event_id.conflict"), "kafka:events/0@7");
    sources.deadLetter(EVENT, List.of("event_id.conflict"), "file:/a/dt=2025-07-02/part-0.parquet#3 (kafka:events/0@7)");
    List<Evidence> e = at("m1", "EUR", 2);
    assertEquals(1, e.size());
    assertEquals(Cause.CONFLICTS, e.get(0).cause);
  }

  @Test
  void anInvalidRecordWithAReadableWindowIsPlacedAndAnUnreadableOneIsNot() {
    sources.deadLetter(EVENT.replace("250", "-5"), List.of("amount_minor.negative"), "kafka:events/0@8");
    sources.deadLetter("{not json", List.of("record.malformed_json"), "kafka:events/0@9");
    List<Evidence> e = at("m1", "EUR", 2);
    assertEquals(1, e.size());
    assertEquals(Cause.DEAD_LETTERS, e.get(0).cause);
    assertNull(e.get(0).deltaMinor, "an invalid record carries no trusted exposure");
    assertEquals(1, sources.index().unplaced().size());
    assertEquals(Map.of(Cause.DEAD_LETTERS, 2), sources.index().countsByCause());
  }

  @Test
  void aRecordMissingFromTheArchiveIsPlacedOnItsWindow() {
    sources.archiveGap("kafka:events/2@5", EVENT.getBytes(StandardCharsets.UTF_8));
    assertEquals(Cause.ARCHIVE_GAP, at("m1", "EUR", 2).get(0).cause);
  }

  @Test
  void gapsAreOffsetsNeitherArchivedNorDeadLetteredBeforeTheLastOneSeen() {
    ArchiveGaps gaps = new ArchiveGaps();
    for (long o : new long[] {3, 4, 7, 8, 12}) {
      gaps.seen(0, o);
    }
    for (long o = 0; o < 5000; o++) {
      gaps.seen(1, o); // a partition with no hole, larger than the initial buffer
    }
    List<ArchiveGaps.Gap> found = gaps.find(Map.of(0, 2L));
    assertEquals(List.of("partition 0 offsets [2, 3)", "partition 0 offsets [5, 7)", "partition 0 offsets [9, 12)"),
        found.stream().map(Object::toString).collect(java.util.stream.Collectors.toList()));
  }
}
