package io.unifiedexposure.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.OptionsCopy;
import io.unifiedexposure.pipelines.reconcile.Cause;
import io.unifiedexposure.pipelines.reconcile.ConvertedVerdict;
import io.unifiedexposure.pipelines.reconcile.Reconcile;
import io.unifiedexposure.pipelines.reconcile.ReconcileOptions;
import io.unifiedexposure.pipelines.reconcile.WindowVerdict;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end on the embedded broker, as the repair story: a fact injected beyond the
 * allowed lateness; reconcile finds exactly its window and explains it; --execute backfills that
 * window alone and publishes the replay's value above every live pane; a second reconcile is clean;
 * a USD rate corrected after its day's on-time pane changes that day's converted row live, and the
 * replay's converted rows agree with live's but for the late capture's day.
 * Then the archive loses a file, and reconcile blames the archive gap instead of repairing from it.
 */
class DemoSpec {
  @TempDir Path dir;

  @Test
  void beyondLatenessFactIsFoundExplainedRepairedAndReconciledToZero() throws Exception {
    Demo.DemoOptions options =
        PipelineOptionsFactory.fromArgs("--factCount=600", "--merchantCount=2", "--dayCount=6", "--seed=11")
            .as(Demo.DemoOptions.class);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Demo.DemoRun run = new Demo.DemoRun(options, dir, new PrintStream(printed, true, StandardCharsets.UTF_8));
    int exit;
    Reconcile.Outcome afterLoss;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      exit = run.execute(kafka);
      afterLoss = reconcileAfterTheArchiveLosesAFile(run, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
    String console = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, console);

    // Found and explained: exactly the window of the injected fact, with that fact as evidence.
    List<WindowVerdict> drifted = run.first.reconciliation.drifted();
    assertEquals(1, drifted.size(), console);
    WindowVerdict v = drifted.get(0);
    assertEquals("m0", v.merchantId);
    assertEquals("EUR", v.currency);
    assertEquals("2025-07-01T00:00:00Z", java.time.Instant.ofEpochMilli(v.windowStart).toString());
    assertEquals(Cause.BEYOND_LATENESS, v.cause);
    assertEquals(12345, v.difference());
    assertTrue(v.evidence.stream().anyMatch(e -> e.detail.contains("demo-beyond-lateness") && e.deltaMinor == 12345));

    // Planned and repaired: one launch, that day only, for that merchant and those whose converted day
    // the late rate touched; one native row published.
    assertEquals(1, run.first.plan.launches.size());
    java.util.SortedSet<String> merchants = new java.util.TreeSet<>(List.of("m0"));
    run.first.converted.stream().filter(c -> c.kind.isDrift()).forEach(c -> merchants.add(c.merchantId));
    assertEquals(List.copyOf(merchants), List.copyOf(run.first.plan.launches.get(0).merchants));
    assertEquals(1, run.first.plan.launches.get(0).windows.size());
    assertEquals(86_400_000L, run.first.plan.launches.get(0).toMillis - run.first.plan.launches.get(0).fromMillis);
    ProjectionRow repaired = run.first.published.get(0);
    assertEquals(PaneTiming.REPAIR, repaired.paneTiming());
    assertEquals(v.replayExposure(), repaired.exposureMinor());
    assertTrue(repaired.paneIndex() > v.live.paneIndex(), "the repair outranks every live pane");

    // Reconciled to zero: the consumer's newest row for that window is now the repair.
    assertTrue(run.second.reconciliation.drifted().isEmpty(), console);
    WindowVerdict after = run.second.reconciliation.verdicts.stream()
        .filter(w -> w.merchantId.equals("m0") && w.currency.equals("EUR") && w.windowStart == v.windowStart)
        .findFirst().orElseThrow();
    assertEquals(WindowVerdict.Kind.MATCH, after.kind);
    assertEquals(PaneTiming.REPAIR, after.live.paneTiming());
    assertEquals(run.first.reconciliation.verdicts.size(), run.second.reconciliation.verdicts.size());

    // An archive that lost a file: its replay drifts from live; reconcile blames the gap, finds the
    // lost records in the input topic, and plans no repair from the incomplete archive.
    assertFalse(afterLoss.reconciliation.drifted().isEmpty(), console);
    for (WindowVerdict w : afterLoss.reconciliation.drifted()) {
      assertEquals(Cause.ARCHIVE_GAP, w.cause, w.merchantId + " " + w.windowStart);
      assertTrue(w.evidence.stream().anyMatch(e -> e.cause == Cause.ARCHIVE_GAP && e.source.startsWith("kafka:")));
    }
    assertTrue(afterLoss.plan.launches.isEmpty());
    assertEquals(afterLoss.reconciliation.drifted().size(), afterLoss.plan.notRepaired.size());

    // Reports a person and a machine can open.
    assertTrue(Files.readString(dir.resolve("reconcile/reconcile.html")).contains("<svg"));
    assertTrue(Files.readString(dir.resolve("reconcile/reconcile.json")).contains("\"beyond-lateness\""));

    // The drifted window explained end to end, where the report links it: the late capture counts
    // in the replay, live's beyond-lateness topic says why live left it out, and it is exactly the
    // difference; the counted deltas sum to the replay's answer.
    Path explained = dir.resolve("reconcile/explain/m0-EUR-2025-07-01");
    assertTrue(Files.readString(dir.resolve("reconcile/reconcile.html"))
        .contains("href=\"explain/m0-EUR-2025-07-01/explain.html\""));
    com.fasterxml.jackson.databind.JsonNode w =
        io.unifiedexposure.pipelines.format.Json.parse(Files.readString(explained.resolve("explain.json")))
            .path("windows").get(0);
    assertTrue(w.path("check").path("equals_answer").asBoolean(), w.toString());
    assertEquals(v.replayExposure(), w.path("answer").path("exposure_minor").asLong());
    assertEquals(12345, w.path("difference_minor").asLong());
    com.fasterxml.jackson.databind.JsonNode last = w.path("facts").get(w.path("facts").size() - 1);
    assertEquals("demo-beyond-lateness", last.path("event_id").asText());
    assertTrue(last.path("live").asText().startsWith("live: beyond lateness"), last.toString());
    assertTrue(w.path("verdict").asText().contains("exactly the difference"), w.toString());
    assertTrue(console.contains("7. explain the drifted window"), console);

    // Converted exposure: the corrected rate changed its day's row live and the replay (reading the
    // rates live archived) agrees; the late capture's day drifted natively, every day the late rate
    // touched drifted for that, both repaired, and then live's converted rows are the replay's.
    assertTrue(run.corrected.changedLive(), console);
    assertTrue(run.converted.replayAgreesWith(run.corrected), console);
    List<ConvertedVerdict> convertedDrift =
        run.first.converted.stream().filter(c -> c.kind.isDrift()).collect(java.util.stream.Collectors.toList());
    assertTrue(convertedDrift.stream().anyMatch(c -> c.merchantId.equals("m0")
        && c.windowStart == v.windowStart && c.cause == ConvertedVerdict.Cause.NATIVE_DRIFT), console);
    assertTrue(convertedDrift.stream().anyMatch(c -> c.cause == ConvertedVerdict.Cause.RATE_BEYOND_LATENESS
        && c.evidence.stream().anyMatch(e -> e.contains("version 3"))), console);
    assertTrue(convertedDrift.stream().allMatch(c -> c.windowStart == v.windowStart), console);
    assertEquals(convertedDrift.size(), run.first.publishedConverted.size());
    assertTrue(run.second.converted.stream().noneMatch(c -> c.kind.isDrift()), console);
    assertTrue(run.converted.allAgree(), console);
    String lastDay = "2025-07-06T00:00:00Z";
    assertTrue(run.converted.replay.entrySet().stream()
        .filter(e -> e.getKey().endsWith(lastDay))
        .allMatch(e -> !e.getValue().currencies().contains("GBP") || e.getValue().missingRates().equals(List.of("GBP"))),
        "GBP has no rate on the last day: " + run.converted.replay);
    assertTrue(console.contains("8. converted daily exposure"), console);

    // Current exposure: each merchant's row on live's compacted topic is the replay's row of that
    // day; m1's limit, lowered from noon of the middle day, puts it over from that day's row on.
    assertTrue(run.current.allAgree(), console);
    assertEquals("2025-07-04", run.current.firstOverLimit(), console);
    assertTrue(run.current.verdicts.get("m1").live.overLimit(), console);
    assertEquals(null, run.current.verdicts.get("m0").live.limit(), console);
    // m0's row sums the late capture's day: it differs from the replay's by exactly that converted drift.
    assertEquals(io.unifiedexposure.pipelines.reconcile.CurrentSection.Kind.CONVERTED_DRIFT,
        run.current.verdicts.get("m0").kind, console);
    assertTrue(console.contains("9. current exposure"), console);
  }

  private Reconcile.Outcome reconcileAfterTheArchiveLosesAFile(Demo.DemoRun run, PrintStream out)
      throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("archive/dt=2025-07-02"))) {
      Files.delete(files.sorted().findFirst().orElseThrow());
    }
    ReplayOptions replay = OptionsCopy.of(run.replay, ReplayOptions.class);
    replay.setOutput(dir.resolve("replay-after-loss").toString());
    ReplayExposure.run(replay);
    ReconcileOptions reconcile = OptionsCopy.of(run.reconcile, ReconcileOptions.class);
    reconcile.setReplay(replay.getOutput());
    reconcile.setReport(dir.resolve("reconcile-after-loss").toString());
    reconcile.setExecute(false);
    return Reconcile.run(reconcile, out);
  }
}
