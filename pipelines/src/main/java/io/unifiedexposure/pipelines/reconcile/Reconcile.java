package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.pipelines.format.ConvertedRecords;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.IsoDurations;
import io.unifiedexposure.pipelines.LocalPaths;
import io.unifiedexposure.pipelines.PathFlags;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import io.unifiedexposure.pipelines.replay.ReplayManifest;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.joda.time.Duration;

/**
 * {@code exposure reconcile}: live newest panes against a replay, per (merchant_id, currency,
 * window), each drift explained from the evidence the jobs left; a summary, a JSON and an HTML
 * report, and the smallest repair plan, which {@code --execute} carries out.
 *
 * <p>Exit codes: 0 when unexplained drift is within {@code --maxUnexplained}, 3 when it is not.
 */
public final class Reconcile {
  public static final int EXIT_UNEXPLAINED_DRIFT = 3;
  public static final String HELP =
      "exposure reconcile: compares the live projections (newest pane per merchant, currency and window,\n"
          + "from the projections topic or a Parquet snapshot) with a replay's, classifies every window\n"
          + "(match, open, missing-live, missing-replay, value-drift), explains drift from the evidence\n"
          + "(beyond-lateness facts, archive gaps, conflicting copies, dead letters), writes reconcile.json\n"
          + "and reconcile.html, and prints the smallest set of backfills that repairs the drift; --execute\n"
          + "runs them and publishes the repaired rows. Exit code 3 when unexplained drift exceeds\n"
          + "--maxUnexplained.";

  private Reconcile() {}

  /** The outcome: the report, and the rows --execute published. */
  public static final class Outcome {
    public final Reconciliation reconciliation;
    public final RepairPlan plan;
    public final List<ProjectionRow> published;
    /** The converted days compared (empty when they were not: see the report). */
    public final List<ConvertedVerdict> converted;
    /** Each merchant's current row compared (empty when they were not: see the report). */
    public final List<CurrentSection.Verdict> current;
    /** The converted rows --execute published. */
    public final List<ConvertedRow> publishedConverted;
    public final int exitCode;

    Outcome(Reconciliation reconciliation, RepairPlan plan, List<ProjectionRow> published,
        List<ConvertedVerdict> converted, List<CurrentSection.Verdict> current, List<ConvertedRow> publishedConverted,
        int exitCode) {
      this.current = current;
      this.reconciliation = reconciliation;
      this.plan = plan;
      this.published = published;
      this.converted = converted;
      this.publishedConverted = publishedConverted;
      this.exitCode = exitCode;
    }
  }

  public static Outcome run(ReconcileOptions options, PrintStream out) throws Exception {
    ExposureGraph graph = ExposureGraph.fromOptions(options);
    FileSystems.setDefaultPipelineOptions(options);
    String replayDir = PathFlags.input("replay", options.getReplay());
    String reportDir = PathFlags.outputDirectory("report", options.getReport());
    if (options.getRepairOutput() != null) {
      PathFlags.outputDirectory("repairOutput", options.getRepairOutput());
    }
    if (StoredFiles.parquetFiles(StoredFiles.resolve(replayDir, "projections")).isEmpty()) {
      throw new IllegalArgumentException(
          "--replay=" + replayDir + " holds no replay (no projections/*.parquet below it); run 'exposure replay' first");
    }
    ReplayManifest manifest = ReplayManifest.read(replayDir);
    if (manifest != null && manifest.asOfMillis != null) {
      throw new IllegalArgumentException("--replay=" + replayDir + " is a replay as known at "
          + EventEncoder.isoUtc(manifest.asOfMillis) + " (--asOf): it leaves out what arrived later, so it is not "
          + "the answer live converges to; reconcile against a replay without --asOf");
    }
    String archive = options.getArchive() != null ? options.getArchive() : manifest == null ? null : manifest.archive;
    BackfillRange range = range(options, manifest, graph);

    ReconcileInputs inputs = new ReconcileInputs(options);
    LivePanes live = inputs.livePanes();
    List<ProjectionRow> replay = inputs.replayRows();
    EvidenceSources evidence = new EvidenceSources(graph.grid());
    Duration maxOutOfOrderness = IsoDurations.nonNegative("maxOutOfOrderness", options.getMaxOutOfOrderness());
    DataClock clock = live.dataClock(graph.grid(), maxOutOfOrderness);
    LateFxRates lateRates = new LateFxRates();
    inputs.evidence(evidence, lateRates, archive, clock);

    Reconciliation rec = new Reconciler(graph.allowedLateness(), range).compare(live.rows, replay, evidence.index());
    List<ConvertedRow> liveConverted = inputs.liveConvertedRows();
    List<ConvertedRow> replayConverted = inputs.replayConvertedRows();
    ConvertedSection converted =
        liveConverted == null
            ? ConvertedSection.notCompared(inputs.noLiveConvertedReason())
            : replayConverted.isEmpty()
                ? ConvertedSection.notCompared("the replay has no converted rows (--reportingCurrency=none, or an earlier build)")
                : ConvertedSection.of(new ConvertedReconciler(graph.allowedLateness(), range)
                    .compare(liveConverted, replayConverted, rec, lateRates));
    List<CurrentRow> liveCurrent = inputs.liveCurrentRows();
    List<CurrentRow> replayCurrent = inputs.replayCurrentRows();
    CurrentSection current =
        liveCurrent == null
            ? CurrentSection.notCompared(inputs.noLiveCurrentReason())
            : replayCurrent.isEmpty()
                ? CurrentSection.notCompared("the replay has no current rows (--reportingCurrency=none, or an earlier build)")
                : CurrentSection.of(liveCurrent, replayCurrent, liveConverted == null ? List.of() : liveConverted,
                    replayConverted);
    RepairPlan plan = RepairPlan.of(rec.verdicts, converted.verdicts);
    String repairDir = options.getRepairOutput() != null
        ? LocalPaths.absolute(options.getRepairOutput())
        : StoredFiles.resolve(reportDir, "repairs/" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC).format(java.time.Instant.now()));
    List<String> commands = new ArrayList<>();
    for (int i = 0; i < plan.launches.size(); i++) {
      commands.add(plan.launches.get(i).command(
          archive == null ? "<archive>" : archive, Repair.launchOutput(repairDir, i), List.of()));
    }
    Map<String, Long> counters = manifest == null ? Map.of() : manifest.counters;
    long now = System.currentTimeMillis();
    ReconcileReport report = new ReconcileReport(rec, plan,
        ReconcileMetrics.of(live, rec, counters, evidence.index().countsByCause(), clock,
            maxOutOfOrderness.getMillis(), now),
        commands, options.getMaxUnexplained(), evidence.index().countsByCause(),
        compared(options, replayDir, archive, range, now), explainCommands(options, rec, archive, reportDir),
        converted, current);
    report.print(out);
    report.write(reportDir);
    out.println("  report: " + StoredFiles.resolve(reportDir, ReconcileReport.JSON_FILE) + ", "
        + StoredFiles.resolve(reportDir, ReconcileReport.HTML_FILE));

    List<ProjectionRow> published = List.of();
    List<ConvertedRow> publishedConverted = List.of();
    if (options.getExecute() && !plan.launches.isEmpty()) {
      if (archive == null) {
        throw new IllegalArgumentException("--execute needs the archive: pass --archive");
      }
      out.println("  executing the repair plan:");
      Map<String, ConvertedRow> convertedNewest =
          liveConverted == null ? Map.of() : ConvertedRecords.newest(liveConverted);
      Repair.Published done =
          Repair.execute(plan, options, archive, repairDir, ProjectionUpsert.newest(live.rows), convertedNewest, out);
      published = done.rows;
      publishedConverted = done.converted;
      out.println("  repaired " + published.size() + " window(s) and " + publishedConverted.size()
          + " converted day(s); run reconcile again to confirm");
    }
    int exit = report.unexplainedOverThreshold() ? EXIT_UNEXPLAINED_DRIFT : 0;
    return new Outcome(rec, plan, published, converted.verdicts, current.verdicts, publishedConverted, exit);
  }

  /** Where the report links a drifted window's explanation, relative to the report's folder. */
  public static String explainFolder(WindowVerdict v) {
    return "explain/" + v.merchantId + "-" + v.currency + "-" + EventEncoder.isoUtc(v.windowStart).substring(0, 10);
  }

  /**
   * Per drifted window, the {@code explain} command that writes its explanation where the report
   * links it ({@link #explainFolder}), reading the same live projections.
   */
  private static Map<String, String> explainCommands(
      ReconcileOptions o, Reconciliation rec, String archive, String reportDir) {
    Map<String, String> commands = new LinkedHashMap<>();
    for (WindowVerdict v : rec.drifted()) {
      List<String> parts = new ArrayList<>(List.of("./exposure", "explain", "--archive=" + (archive == null ? "<archive>" : archive),
          "--merchant=" + v.merchantId, "--currency=" + v.currency,
          "--window=" + EventEncoder.isoUtc(v.windowStart).substring(0, 10)));
      if (o.getLive().equals("kafka")) {
        parts.add("--live=kafka");
        parts.add("--bootstrapServers=" + o.getBootstrapServers());
        parts.add("--projectionsTopic=" + o.getProjectionsTopic());
        parts.add("--beyondLatenessTopic=" + o.getBeyondLatenessTopic());
        parts.add("--deadLetterTopic=" + o.getDeadLetterTopic());
      } else {
        parts.add("--live=" + LocalPaths.absolute(o.getLive()));
      }
      parts.add("--output=" + StoredFiles.resolve(reportDir, explainFolder(v)));
      commands.put(ProjectionUpsert.key(v.merchantId, v.currency, v.windowStart), String.join(" ", parts));
    }
    return commands;
  }

  /** What a report says it compared, and when. */
  private static Map<String, String> compared(
      ReconcileOptions o, String replayDir, String archive, BackfillRange range, long now) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("live", o.getLive().equals("kafka")
        ? "topic '" + o.getProjectionsTopic() + "' at " + o.getBootstrapServers()
        : "Parquet snapshot " + LocalPaths.absolute(o.getLive()));
    c.put("replay", replayDir);
    c.put("archive", archive == null ? "(not given)" : archive);
    c.put("windows", range.toString());
    c.put("generated_at", EventEncoder.isoUtc(now));
    return c;
  }

  /** The windows compared: the flags when given, else the replay's own range, else everything. */
  private static BackfillRange range(ReconcileOptions o, ReplayManifest manifest, ExposureGraph graph) {
    if (o.getFrom() != null || o.getTo() != null || o.getMerchants() != null || manifest == null) {
      return BackfillRange.of(o.getFrom(), o.getTo(), o.getMerchants(), graph.grid());
    }
    return BackfillRange.between(manifest.fromMillis, manifest.toMillis, manifest.merchants);
  }
}
