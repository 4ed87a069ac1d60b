package io.unifiedexposure.pipelines.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.reconcile.Rows;
import io.unifiedexposure.pipelines.replay.ArchiveFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exposure explain} on a crafted history, with a live snapshot that missed two facts:
 *
 * <pre>
 *   received  source       fact                              replay's verdict
 *   t+1       events/0@1   f1 CAPTURE 1,000 (2025-07-02)     counts
 *   t+2       events/0@2   f1 again, identical               duplicate of @1
 *   t+5       events/0@5   f2 CAPTURE 500, archived first    conflict: lost to @3
 *   t+3       events/0@3   f2 CAPTURE 700, archived later    counts (received first)
 *   t+6       events/0@6   f3 CORRECTION -200 of f1          counts
 *   t+7       events/0@7   f4 CAPTURE 40 (2025-07-03)        counts (another window)
 *   t+8       events/0@8   g1 CAPTURE 9 of merchant 'other'  not in the slice
 * </pre>
 *
 * The answer is 1,500; live's newest pane says 1,000.
 */
class ExplainCommandTest {
  private static final long T = Instant.parse("2025-07-05T00:00:00Z").getMillis();
  @TempDir static Path dir;

  @BeforeAll
  static void archiveAndSnapshot() throws Exception {
    List<RawRecord> raw = new ArrayList<>();
    raw.add(copy(fact("f1", "m", EventType.CAPTURE, 1000, "2025-07-02T10:00:00Z", null), 1));
    raw.add(copy(fact("f1", "m", EventType.CAPTURE, 1000, "2025-07-02T10:00:00Z", null), 2));
    raw.add(copy(fact("f2", "m", EventType.CAPTURE, 500, "2025-07-02T11:00:00Z", null), 5));
    raw.add(copy(fact("f2", "m", EventType.CAPTURE, 700, "2025-07-02T11:00:00Z", null), 3));
    raw.add(copy(fact("f3", "m", EventType.CORRECTION, -200, "2025-07-02T12:00:00Z", "f1"), 6));
    raw.add(copy(fact("f4", "m", EventType.CAPTURE, 40, "2025-07-03T09:00:00Z", null), 7));
    raw.add(copy(fact("g1", "other", EventType.CAPTURE, 9, "2025-07-02T09:00:00Z", null), 8));
    ArchiveFixtures.writeOwnArchive(raw, dir.resolve("archive"));
    Rows.write(dir.resolve("live/part-0.parquet"),
        List.of(Rows.pane("m", "EUR", 2, 1000, 1, PaneTiming.ON_TIME, 1, false)));
  }

  private static ExposureEvent fact(String id, String merchant, EventType type, long amount, String at, String corrects) {
    return ExposureEvent.builder().setEventId(id).setMerchantId(merchant).setEventType(type).setAmountMinor(amount)
        .setCurrency("EUR").setEventTime(Instant.parse(at)).setCorrectsEventId(corrects).setSchemaVersion(1).build();
  }

  private static RawRecord copy(ExposureEvent e, int offset) {
    return RawRecord.of(EventEncoder.toJsonBytes(e), "kafka:events/0@" + offset, T + offset);
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int explain(String output, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("explain", "--archive=" + dir.resolve("archive"), "--merchant=m",
        "--output=" + dir.resolve(output), "--progressInterval=PT0S"));
    args.addAll(List.of(flags));
    return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void everyCopyIsAccountedForAndTheCountedDeltasSumToTheAnswer() throws Exception {
    assertEquals(0, explain("one", "--window=2025-07-02", "--currency=EUR", "--live=" + dir.resolve("live")),
        err.toString());
    JsonNode w = single(dir.resolve("one"));
    assertEquals(1500, w.path("answer").path("exposure_minor").asLong());
    assertEquals(3, w.path("answer").path("event_count").asLong());
    assertTrue(w.path("check").path("equals_answer").asBoolean());
    assertEquals(1500, w.path("check").path("counted_sum_minor").asLong());

    // The facts that count, in receipt order, with the running total.
    List<String> facts = new ArrayList<>();
    w.path("facts").forEach(f -> facts.add(f.path("event_id").asText() + " " + f.path("delta_minor").asLong() + " "
        + f.path("running_total_minor").asLong() + " " + coordinate(f.path("source").asText())));
    assertEquals(List.of("f1 1000 1000 @1", "f2 700 1700 @3", "f3 -200 1500 @6"), facts);
    assertEquals("f1", w.path("facts").get(2).path("corrects_event_id").asText());

    // The copies that do not count, each with the copy it was judged against.
    List<String> dropped = new ArrayList<>();
    w.path("not_counted").forEach(f -> dropped.add(f.path("event_id").asText() + " " + f.path("outcome").asText()
        + " " + coordinate(f.path("source").asText()) + " vs " + coordinate(f.path("other_source").asText())));
    assertEquals(List.of("f1 DUPLICATE @2 vs @1", "f2 CONFLICT_LOST @5 vs @3"), dropped);
    assertTrue(w.path("not_counted").get(1).path("why").asText().contains("the copy received first counts"));

    // Live's newest pane beside it: 500 short, and this snapshot says nothing of why.
    assertEquals(500, w.path("difference_minor").asLong());
    assertTrue(w.path("verdict").asText().contains("not explained by this slice"), w.toString());

    String console = out.toString(StandardCharsets.UTF_8);
    assertTrue(console.contains("answer (replay): 1,500 over 3 fact(s); counted deltas sum to 1,500 over 3: checked"),
        console);
    assertTrue(console.contains("replay - live = +500"), console);
    assertTrue(console.contains("f2                     CONFLICT_LOST"), console);
    String html = Files.readString(dir.resolve("one/explain.html"));
    assertTrue(html.contains("<svg") && html.contains("CONFLICT_LOST") && html.contains("live's newest pane: 1,000"), html);
  }

  @Test
  void aRangeOverEveryCurrencyExplainsEachWindowOfTheMerchantOnly() throws Exception {
    assertEquals(0, explain("range", "--from=2025-07-01", "--to=2025-07-04", "--live=none"), err.toString());
    JsonNode root = Json.parse(Files.readString(dir.resolve("range/explain.json")));
    assertEquals(2, root.path("windows").size());
    assertEquals("2025-07-03T00:00:00Z", root.path("windows").get(1).path("window_start").asText());
    assertEquals(40, root.path("windows").get(1).path("answer").path("exposure_minor").asLong());
    assertFalse(Files.readString(dir.resolve("range/explain.json")).contains("g1"), "another merchant's fact");
    assertTrue(root.path("all_sums_check").asBoolean());
    // On the console a line per window; without live values nothing differs, so no window in detail.
    String console = out.toString(StandardCharsets.UTF_8);
    assertTrue(console.contains("m        EUR 2025-07-03             40      1        0              -            -  checked"),
        console);
    assertFalse(console.contains("facts that count, in receipt order"), console);
  }

  @Test
  void anOutputHoldingAnExplanationIsRefusedAndAnUnreachableBrokerIsOneLine() throws Exception {
    assertEquals(0, explain("twice", "--window=2025-07-03", "--live=none"), err.toString());
    assertEquals(2, explain("twice", "--window=2025-07-03", "--live=none"));
    assertTrue(err.toString().contains("already holds an explanation; choose a new --output"), err.toString());
    err.reset();
    assertEquals(1, explain("nobroker", "--window=2025-07-03", "--bootstrapServers=127.0.0.1:9",
        "--brokerTimeout=PT2S"));
    assertTrue(err.toString().startsWith("exposure explain: cannot reach the Kafka broker at 127.0.0.1:9")
        && err.toString().contains("--live=none"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }

  @Test
  void withoutWindowsItSaysWhichFlagsToGive() throws Exception {
    assertEquals(2, explain("none"));
    assertTrue(err.toString().contains("--window=<date or instant>, or --from and --to"), err.toString());
  }

  private static JsonNode single(Path output) throws Exception {
    JsonNode root = Json.parse(Files.readString(output.resolve("explain.json")));
    assertEquals(1, root.path("windows").size(), root.toString());
    return root.path("windows").get(0);
  }

  /** The Kafka offset a source names ({@code …(kafka:events/0@3)} → {@code @3}). */
  private static String coordinate(String source) {
    return source.substring(source.lastIndexOf('@'), source.length() - (source.endsWith(")") ? 1 : 0));
  }
}
