package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.pipelines.JobMetrics;
import io.unifiedexposure.pipelines.PathFlags;
import io.unifiedexposure.pipelines.ReferenceOptions;
import io.unifiedexposure.pipelines.format.ConvertedRecords;
import io.unifiedexposure.pipelines.format.CurrentRecords;
import io.unifiedexposure.contract.CurrentRow;
import org.apache.beam.sdk.transforms.Filter;
import io.unifiedexposure.pipelines.format.FxRateRecords;
import io.unifiedexposure.pipelines.format.MerchantLimitRecords;
import io.unifiedexposure.pipelines.format.DeadLetterRecords;
import io.unifiedexposure.pipelines.format.LineageRecords;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.format.ToAvroRow;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import io.unifiedexposure.graph.IsoDurations;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.avro.Schema;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The replay / backfill job: Parquet archive (and the FX rates of the reference archive) → the
 * exposure graph (the same object the live job uses) → one projection row per (merchant_id,
 * currency, window_start) under {@code <output>/projections/}, one converted row per (merchant_id,
 * window_start) under {@code <output>/converted/}, dead letters under {@code <output>/dead-letter/}.
 * The graph fires a bounded input's windows once each, so its rows are written as they come: one
 * row per window, its answer. Without a reference archive the converted rows list every currency
 * but the reporting one as missing a rate.
 *
 * <pre>
 *   ReadArchive ──┬─ AllFacts ─ Exposure ─┬─ projections ─ IntoOneOutput ─ WriteProjections
 *   ReadFxRates ──┘                       ├─ converted ─ WriteConverted
 *                                         ├─ dead letters ─ WriteDeadLetters
 *                                         └─ (if the graph was asked) lineage ─ WriteLineage
 * </pre>
 */
public final class ReplayExposure {
  private ReplayExposure() {}

  public static Pipeline create(ReplayOptions options) {
    ExposureGraph graph = ExposureGraph.fromOptions(options);
    return create(options, graph, range(options, graph));
  }

  /**
   * Builds, runs and waits for the replay, then writes its {@link ReplayManifest} (range, state,
   * counters) beside the output. Returns the final state.
   */
  public static PipelineResult.State run(ReplayOptions options) throws IOException {
    return PipelineResult.State.valueOf(runForManifest(options).state);
  }

  /** {@link #run}, returning the manifest it wrote (its state and counters). */
  public static ReplayManifest runForManifest(ReplayOptions options) throws IOException {
    return runForManifest(options, null);
  }

  /**
   * {@link #runForManifest(ReplayOptions)}, printing progress to {@code progress} every {@code
   * --progressInterval} ({@link ReplayProgress}) unless it is null, the interval is PT0S or the
   * options say {@code --quiet}.
   */
  public static ReplayManifest runForManifest(ReplayOptions options, @Nullable PrintStream progress)
      throws IOException {
    return runForManifest(options, ExposureGraph.fromOptions(options), progress);
  }

  /**
   * {@link #runForManifest(ReplayOptions, PrintStream)} with an explicit graph: one made {@link
   * ExposureGraph#withLineageOutput()} also writes its lineage under {@code <output>/lineage/}
   * (what {@code explain} reads).
   */
  public static ReplayManifest runForManifest(
      ReplayOptions options, ExposureGraph graph, @Nullable PrintStream progress) throws IOException {
    BackfillRange range = range(options, graph);
    Duration every = IsoDurations.nonNegative("progressInterval", options.getProgressInterval());
    Pipeline pipeline = create(options, graph, range);
    PipelineResult result;
    if (progress == null || options.getQuiet() || every.getMillis() == 0) {
      result = pipeline.run();
      result.waitUntilFinish();
    } else {
      progress.println("exposure replay: " + archive(options) + " -> " + output(options) + " on "
          + options.getRunner().getSimpleName() + "; " + range);
      result = new ReplayProgress(ReadArchive.filepattern(archive(options)), range, every, progress)
          .run(pipeline, options);
    }
    PipelineResult.State state = result.getState();
    ReplayManifest manifest =
        ReplayManifest.of(archive(options), range, String.valueOf(state), JobMetrics.counters(result));
    manifest.write(output(options));
    return manifest;
  }

  private static BackfillRange range(ReplayOptions options, ExposureGraph graph) {
    return BackfillRange.of(options.getFrom(), options.getTo(), options.getMerchants(), graph.grid())
        .asOf(options.getAsOf());
  }

  /** The output directory, absolute, without a trailing slash. */
  private static String output(ReplayOptions options) {
    return PathFlags.outputDirectory("output", options.getOutput()).replaceAll("/+$", "");
  }

  private static String archive(ReplayOptions options) {
    return PathFlags.input("archive", options.getArchive());
  }

  /** The replay with an explicit graph and range (the graph object may be shared with a live job). */
  public static Pipeline create(ReplayOptions options, ExposureGraph graph, BackfillRange range) {
    // The paths are checked before a pipeline exists: their file systems (s3://) from these options.
    FileSystems.setDefaultPipelineOptions(options);
    String archive = archive(options);
    String output = output(options);
    refuseExistingReplay(output);
    refuseEmptyArchive(archive);
    Pipeline p = Pipeline.create(options);
    PCollection<RawRecord> facts = p.apply("ReadArchive", new ReadArchive(archive, range));
    String reference = ReferenceOptions.referenceArchive(options, archive);
    if (graph.reportingCurrency() != null) {
      PCollectionList<RawRecord> all = PCollectionList.of(facts);
      if (anyFile(ReadReferenceArchive.filepattern(reference, FxRateRecords.FOLDER), "--referenceArchive=" + reference)) {
        all = all.and(p.apply("ReadFxRates", ReadReferenceArchive.fxRates(reference, range)));
      }
      if (anyFile(ReadReferenceArchive.filepattern(reference, MerchantLimitRecords.FOLDER), "--referenceArchive=" + reference)) {
        all = all.and(p.apply("ReadLimits", ReadReferenceArchive.limits(reference, range)));
      }
      if (all.size() > 1) {
        facts = all.apply("AllFacts", Flatten.pCollections());
      }
    }
    ExposureOutputs out = facts.apply("Exposure", graph);

    out.projections()
        .apply("IntoOneOutput", intoOneOutput())
        .apply(
            "WriteProjections",
            parquet(ProjectionRecords.schema(), ProjectionRecords::toAvro, output + "/projections"));
    if (out.hasConverted()) {
      out.converted()
          .apply("WriteConverted", parquet(ConvertedRecords.schema(), ConvertedRecords::toAvro, output + "/converted"));
      PCollection<CurrentRow> current = out.current();
      if (range.asOfMillis() != null) {
        current = current.apply("CurrentAsOf", Filter.by(new AsOfDay(range.asOfMillis())));
      }
      current.apply("WriteCurrent", parquet(CurrentRecords.schema(), CurrentRecords::toAvro, output + "/current"));
    }
    out.deadLetters()
        .apply(
            "WriteDeadLetters",
            parquet(DeadLetterRecords.schema(), DeadLetterRecords::toAvro, output + "/dead-letter"));
    if (graph.lineageOutput()) {
      out.lineage()
          .apply("WriteLineage", parquet(LineageRecords.schema(), LineageRecords::toAvro, output + "/lineage"));
    }
    return p;
  }

  /**
   * The rows of every window into the global window: one set of files for the whole replay, not a
   * set per day window (whose names would hold the window's bounds).
   */
  private static Window<ProjectionRow> intoOneOutput() {
    return Window.<ProjectionRow>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /** Parquet files of the schema, each element made a row by the sink's writer. */
  private static <T> FileIO.Write<Void, T> parquet(Schema schema, ToAvroRow.Conversion<T> conversion, String dir) {
    return FileIO.<T>write()
        .via(ToAvroRow.inSink(schema, conversion), ParquetIO.sink(schema))
        .to(dir)
        .withPrefix("part")
        .withSuffix(".parquet");
  }

  /** A replay of nothing is a wrong path, not an empty answer: refused before a job starts. */
  private static void refuseEmptyArchive(String archive) {
    String pattern = ReadArchive.filepattern(archive);
    if (!anyFile(pattern, "--archive=" + archive)) {
      throw new IllegalArgumentException("--archive=" + archive + " matches no Parquet file (" + pattern + ")");
    }
  }

  private static void refuseExistingReplay(String output) {
    if (anyFile(output + "/projections/*.parquet", "--output=" + output)) {
      throw new IllegalArgumentException(
          "--output=" + output + " already holds a replay (projections/*.parquet); "
              + "choose a new --output or remove the old one");
    }
  }

  private static boolean anyFile(String pattern, String flag) {
    try {
      return !StoredFiles.matching(pattern).isEmpty();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(flag + " cannot be listed: " + StoredFiles.why(e), e);
    }
  }

  /** The current rows as of the day of {@code --asOf}: each merchant's row risk saw then. */
  static final class AsOfDay implements org.apache.beam.sdk.transforms.SerializableFunction<CurrentRow, Boolean> {
    private final long dayStart;

    AsOfDay(long asOfMillis) {
      this.dayStart = Math.floorDiv(asOfMillis, 86_400_000L) * 86_400_000L;
    }

    @Override
    public Boolean apply(CurrentRow row) {
      return row.asOfDay().getMillis() == dayStart;
    }
  }
}
