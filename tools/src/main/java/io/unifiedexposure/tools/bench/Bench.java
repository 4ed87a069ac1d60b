package io.unifiedexposure.tools.bench;

import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOptions;
import io.unifiedexposure.pipelines.OptionsCopy;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.RunnerDefaults;
import io.unifiedexposure.pipelines.WorkDirs;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * {@code exposure bench}: per merchant setting, generates the data, then prints events/s for a
 * plain-Java HashSet + HashMap pass, a bare parquet-avro read of the archive, and the replay job on
 * each runner (with its ratio to the raw read and whether its sums equal the plain pass) beside its
 * floor on that runner ({@link ReplayFloor}); then the
 * live job against a bare KafkaConsumer and the early-pane latency ({@link LiveBench}).
 */
public final class Bench {
  public static final String HELP =
      "exposure bench: generates --events records (5% duplicates, --days days) for each of\n"
          + "--merchantCounts, then prints events/s of a plain-Java pass, a raw parquet-avro read, and the\n"
          + "replay on each of --replayRunners (ratio to raw, sums checked against the plain pass) and its\n"
          + "floor there (the replay's reader and decoder alone: no graph can make a replay faster); then\n"
          + "the live job in steady state (--liveEvents records in an 8-partition topic on an embedded broker,\n"
          + "measured between 20% and 80% of them) in each of --liveSetups vs a bare KafkaConsumer, FlinkRunner's\n"
          + "p=2/p=1 scaling, and early-pane latency p50/p99 at each of --latencyRates new windows/s.\n"
          + "Numbers, not pass/fail: exit 1 only when a replay's sums differ from the plain pass\n"
          + "or a floor job did not decode every record.";

  private Bench() {}

  public static int run(BenchOptions options, PrintStream out) throws Exception {
    Path work = Path.of(options.getBenchDir()).toAbsolutePath();
    WorkDirs.recreate(work, "benchDir");
    ExposureGraph graph = ExposureGraph.fromOptions(options);
    boolean allMatch = true;
    for (String m : options.getMerchantCounts().split(",")) {
      int merchants = Integer.parseInt(m.trim());
      BenchData data = BenchData.shuffled(options.getEvents(), merchants, options.getDays(), 0.05, options.getDataSeed());
      Path archive = work.resolve("m" + merchants).resolve("archive");
      long t = System.nanoTime();
      data.writeArchive(archive, 8);
      out.printf("%nmerchants %,d: %,d records (%,d distinct facts) over %d days; archive written in %.1f s%n",
          merchants, data.records, data.facts, options.getDays(), secondsSince(t));

      ExposureEvent[] events = data.materialize();
      t = System.nanoTime();
      Map<String, long[]> plain = BenchData.plainPass(events, graph.grid());
      double plainRate = data.records / secondsSince(t);
      events = null;
      out.printf("  %-34s %,12.0f events/s   (%,d windows)%n", "plain Java HashSet + HashMap", plainRate, plain.size());

      t = System.nanoTime();
      long rows = rawRead(archive);
      double rawRate = rows / secondsSince(t);
      out.printf("  %-34s %,12.0f events/s%n", "raw parquet-avro read", rawRate);

      for (String runner : options.getReplayRunners().split(",")) {
        ReplayOptions replay = replayOptions(options, runner.trim(), archive, work.resolve("m" + merchants));
        t = System.nanoTime();
        PipelineResult.State state = ReplayExposure.run(replay);
        double secs = secondsSince(t);
        boolean match = state == PipelineResult.State.DONE && sumsMatch(plain, Path.of(replay.getOutput()));
        allMatch &= match;
        double rate = data.records / secs;
        out.printf("  %-34s %,12.0f events/s   replay/raw %.3f   graph/plain %.4f   sums %s (%.1f s)%n",
            "replay on " + runner.trim(), rate, rate / rawRate, rate / plainRate,
            match ? "match" : "DIFFER", secs);
        if (options.getFloor()) {
          allMatch &= floor(options, runner.trim(), archive, work.resolve("m" + merchants), data.records, rate, rawRate, out);
        }
      }
    }
    if (options.getLiveEvents() > 0) {
      new LiveBench(options, graph, work.resolve("live"), out).run();
    }
    return allMatch ? 0 : 1;
  }

  /**
   * The replay's floor on one runner ({@link ReplayFloor}): its rate, its ratio to the raw read, and
   * the replay's ratio to it. False when it did not decode every record.
   */
  private static boolean floor(BenchOptions options, String runner, Path archive, Path dir, long records,
      double replayRate, double rawRate, PrintStream out) {
    ReplayOptions o = replayOptions(options, runner, archive, dir);
    long t = System.nanoTime();
    long decoded = ReplayFloor.run(o);
    double secs = secondsSince(t);
    double rate = records / secs;
    out.printf("  %-34s %,12.0f events/s   floor/raw %.3f    replay/floor %.3f   %s (%.1f s)%n",
        "floor on " + runner + " (read+decode)", rate, rate / rawRate, replayRate / rate,
        decoded == records ? "every record decoded" : String.format("DECODED %,d of %,d", decoded, records), secs);
    return decoded == records;
  }

  private static ReplayOptions replayOptions(BenchOptions bench, String runner, Path archive, Path dir) {
    ReplayOptions o = jobOptions(bench, runner, ReplayOptions.class);
    o.setArchive(archive.toString());
    o.setOutput(dir.resolve("replay-" + runner).toString());
    if (runner.startsWith("Flink")) {
      o.as(FlinkPipelineOptions.class).setFlinkMaster("[local]");
    }
    return o;
  }

  /**
   * A job's options on {@code runner}: a copy of the bench's own ({@link OptionsCopy}), so every job
   * measured runs the bench's graph settings and is run as the launcher would run it, with the
   * DirectRunner checks and Flink bundle and checkpoint settings the bench was given or defaulted to
   * ({@link RunnerDefaults}).
   */
  static <T extends ExposureOptions> T jobOptions(BenchOptions bench, String runner, Class<T> type) {
    T o = OptionsCopy.of(bench, type);
    o.setRunner(PipelineOptionsFactory.fromArgs("--runner=" + runner).create().getRunner());
    return o;
  }

  /** Every row of the archive read with parquet-avro, nothing else done. */
  static long rawRead(Path archive) throws Exception {
    long rows = 0;
    Configuration conf = new Configuration();
    for (MatchResult.Metadata f : StoredFiles.parquetFiles(archive.toString())) {
      try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(
              HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.resourceId().toString()), conf))
          .withDataModel(GenericData.get()).build()) {
        while (r.read() != null) {
          rows++;
        }
      }
    }
    return rows;
  }

  /** Whether the replay's one row per window equals the plain pass, window by window. */
  static boolean sumsMatch(Map<String, long[]> plain, Path output) throws Exception {
    List<ProjectionRow> rows = new ArrayList<>();
    ReadBack.parquetRows(output.resolve("projections")).forEach(g -> rows.add(ProjectionRecords.fromAvro(g)));
    Map<String, ProjectionRow> replay = ProjectionUpsert.newest(rows);
    if (replay.size() != plain.size()) {
      return false;
    }
    for (Map.Entry<String, long[]> e : plain.entrySet()) {
      ProjectionRow r = replay.get(e.getKey());
      if (r == null || r.exposureMinor() != e.getValue()[0] || r.eventCount() != e.getValue()[1]) {
        return false;
      }
    }
    return true;
  }

  static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
