package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.closed;
import static io.unifiedexposure.pipelines.reconcile.Rows.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.format.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exposure reconcile} as a scheduler runs it, on a Parquet snapshot of the live topic and
 * without Kafka: the exit code alerts on unexplained drift over the threshold, and both reports
 * are written.
 */
class ReconcileCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void snapshots() throws IOException {
    Rows.write(dir.resolve("live/part-0.parquet"),
        List.of(closed("a", "EUR", 1, 100, 1), closed("a", "EUR", 2, 100, 1), closed("b", "USD", 1, 5, 1)));
    Rows.write(dir.resolve("replay/projections/part-0.parquet"),
        List.of(replay("a", "EUR", 1, 100, 1), replay("a", "EUR", 2, 175, 2), replay("b", "USD", 1, 5, 1)));
  }

  private int reconcile(String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("reconcile", "--live=" + dir.resolve("live"),
        "--replay=" + dir.resolve("replay"), "--kafkaEvidence=false", "--report=" + dir.resolve("report")));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void unexplainedDriftOverTheThresholdExitsThree() throws Exception {
    assertEquals(Reconcile.EXIT_UNEXPLAINED_DRIFT, reconcile(), err.toString());
    String console = out.toString(StandardCharsets.UTF_8);
    assertTrue(console.contains("match 2") && console.contains("value-drift 1"), console);
    assertTrue(console.contains("a EUR 2025-07-02  live 100  replay 175  diff +75  value-drift, unexplained"), console);
    assertTrue(console.contains("--from=2025-07-02T00:00:00Z --to=2025-07-03T00:00:00Z --merchants=a"), console);
  }

  @Test
  void driftWithinTheThresholdExitsZero() throws Exception {
    assertEquals(0, reconcile("--maxUnexplained=1"), err.toString());
  }

  @Test
  void writesAMachineReportAndASelfContainedHtmlReport() throws Exception {
    reconcile();
    JsonNode report = Json.parse(Files.readString(dir.resolve("report/reconcile.json")));
    assertEquals(1, report.get("summary").get("value-drift").asInt());
    assertEquals(1, report.get("summary").get("unexplained").asInt());
    assertEquals(3, report.get("windows").size());
    assertEquals(1, report.get("repair_plan").size());
    String html = Files.readString(dir.resolve("report/reconcile.html"));
    assertTrue(html.contains("<svg") && html.contains("<h3>EUR</h3>") && html.contains("<h3>USD</h3>"));
    assertTrue(html.contains("+75"));
    assertTrue(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained");
  }

  @Test
  void aReplayDirectoryWithoutProjectionsIsABadArgument() throws Exception {
    assertEquals(2, Main.run(new String[] {"reconcile", "--replay=" + dir.resolve("nothing"), "--kafkaEvidence=false"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("holds no replay"), err.toString());
  }
}
