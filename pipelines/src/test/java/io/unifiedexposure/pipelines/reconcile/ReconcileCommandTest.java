package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.closed;
import static io.unifiedexposure.pipelines.reconcile.Rows.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    // What was compared, then per currency, then one difference chart for the one drifting series.
    assertTrue(html.contains("<th class=\"l\">replay</th><td class=\"l\">" + dir.resolve("replay") + "</td>"), html);
    assertTrue(html.contains("<th class=\"l\">generated at</th>"), html);
    assertTrue(html.contains(
            "<td class=\"l\">EUR</td><td>2</td><td class=\"drift\">1</td><td>200</td><td>275</td><td>+75</td>")
        && html.contains("<td class=\"l\">USD</td><td>1</td><td class=\"\">0</td>"), html);
    assertEquals(1, html.split("<svg", -1).length - 1, "a chart for each series with drift, only those");
    assertEquals(1, html.split(">2025-07-02</text>", -1).length - 1, "each date labelled once");
    assertTrue(html.contains("<h3>a EUR: 1 drifted window(s) of 2, |difference| 75</h3>"), html);
    assertTrue(html.contains("2025-07-02: live 100, replay 175, difference +75 (value-drift, unexplained)"), html);
    assertTrue(html.contains("replay − live (minor units)"), html);
    // Metrics formatted as on the console: rates in percent, no raw fractions.
    assertTrue(html.contains("<th class=\"l\">late_window_rate</th><td>"), html);
    assertFalse(html.matches("(?s).*<td>0\\.\\d{5,}</td>.*"), "no raw fractions");
    assertEquals(dir.resolve("replay").toString(), report.get("compared").get("replay").asText());
    assertTrue(!html.contains("<script") && !html.contains("src="), "self-contained");
    // The one link: the drifted window to its explanation, which the command beside it writes there.
    assertEquals(1, html.split("href=", -1).length - 1, html);
    assertTrue(html.contains("<a href=\"explain/a-EUR-2025-07-02/explain.html\""), html);
    String explain = report.get("windows").get(1).get("explain").asText();
    assertTrue(explain.startsWith("./exposure explain --archive=<archive> --merchant=a --currency=EUR "
        + "--window=2025-07-02 --live=" + dir.resolve("live") + " --output=" + dir.resolve("report")
        + "/explain/a-EUR-2025-07-02"), explain);
  }

  @Test
  void aReplayDirectoryWithoutProjectionsIsABadArgument() throws Exception {
    assertEquals(2, Main.run(new String[] {"reconcile", "--replay=" + dir.resolve("nothing"), "--kafkaEvidence=false"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("holds no replay"), err.toString());
  }
}
