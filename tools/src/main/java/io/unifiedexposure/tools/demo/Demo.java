package io.unifiedexposure.tools.demo;

import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.OptionsCopy;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.ReferenceOptions;
import io.unifiedexposure.pipelines.format.FxRateRecords;
import io.unifiedexposure.pipelines.WorkDirs;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.live.LiveExposure;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.live.LiveRun;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.pipelines.explain.Explain;
import io.unifiedexposure.pipelines.explain.ExplainOptions;
import io.unifiedexposure.pipelines.reconcile.ConvertedVerdict;
import io.unifiedexposure.pipelines.reconcile.Reconcile;
import io.unifiedexposure.pipelines.reconcile.WindowVerdict;
import io.unifiedexposure.pipelines.reconcile.ReconcileOptions;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The embedded demo: a broker in this JVM, a generated stream, the live job until the stream is
 * drained, a replay of the archive the live job wrote, and the two side by side.
 */
public final class Demo {
  public static final String HELP =
      "exposure demo: starts an in-process Kafka broker, produces a generated stream (merchants,\n"
          + "currencies, days, out-of-order arrival, duplicates, conflicting copies, late corrections,\n"
          + "malformed records) and FX rates to EUR, runs the live job until the stream is drained, sends\n"
          + "one fact days beyond its window's allowed lateness and a corrected rate for a day whose\n"
          + "on-time pane is out, replays the archive the live job wrote, then reconciles live vs replay\n"
          + "per merchant-day: the drift is found, explained, repaired, and a second reconcile is clean;\n"
          + "the converted daily rows of live and replay agree but for the drifted day. It also publishes\n"
          + "a merchant limit lowered mid-stream: that merchant's current exposure (the last 7 days in EUR)\n"
          + "goes over its limit from that day, live and in the replay. Exit code 0 when all of that holds.";

  /** The demo's knobs; runner options (--runner, --flinkMaster, ...) apply to both jobs. */
  public interface DemoOptions extends PipelineOptions {
    @Description("Where the demo leaves its broker log, archive and replay output, relative to where the command runs; emptied at each run if a demo made it, a non-empty directory of anything else is refused.")
    @Default.String("demo-output")
    String getWorkDir();

    void setWorkDir(String value);

    @Description("Number of distinct facts generated.")
    @Default.Integer(4000)
    int getFactCount();

    void setFactCount(int value);

    @Description("Number of merchants.")
    @Default.Integer(4)
    int getMerchantCount();

    void setMerchantCount(int value);

    @Description("Days of event time the stream covers.")
    @Default.Integer(8)
    int getDayCount();

    void setDayCount(int value);

    @Description("Seed of the generated stream.")
    @Default.Long(7)
    long getSeed();

    void setSeed(long value);
  }

  private Demo() {}

  public static int run(DemoOptions options, PrintStream out) throws Exception {
    Path work = Path.of(options.getWorkDir()).toAbsolutePath();
    WorkDirs.recreate(work, "workDir");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
      return new DemoRun(options, work, out).execute(kafka);
    }
  }

  /** One demo run, step by step. */
  static final class DemoRun {
    private final DemoOptions options;
    private final Path work;
    private final PrintStream out;
    /** The options of the replay and of the first reconcile, as run. */
    ReplayOptions replay;
    ReconcileOptions reconcile;
    /** The reconcile that found and repaired the drift, and the one after the repair. */
    Reconcile.Outcome first;
    Reconcile.Outcome second;
    /** The rate corrected while live ran, and live's converted rows against the replay's. */
    RateCorrection corrected;
    ConvertedComparison converted;
    /** Live's current row per merchant against the replay's. */
    CurrentComparison current;

    DemoRun(DemoOptions options, Path work, PrintStream out) {
      this.options = options;
      this.work = work;
      this.out = out;
    }

    int execute(EmbeddedKafka kafka) throws Exception {
      LiveOptions live = OptionsCopy.of(options, LiveOptions.class);
      live.setBootstrapServers(kafka.bootstrapServers());
      live.setArchive(work.resolve("archive").toString());
      live.setArchiveFlushInterval("PT5S");
      live.setEarlyFiringDelay("PT2S");
      live.setIdleTimeout("PT5S");
      live.setFxRatesTopic("exposure-fx-rates");
      live.setLimitsTopic("exposure-merchant-limits");
      // Each job gets its own options object with the same broker, archive, runner and graph
      // settings: the live job's streaming, non-blocking run settings never reach the batch jobs.
      replay = OptionsCopy.of(live, ReplayOptions.class);
      replay.setOutput(work.resolve("replay").toString());
      reconcile = OptionsCopy.of(live, ReconcileOptions.class);
      reconcile.setReplay(replay.getOutput());
      live.setStreaming(true);
      LiveRun.configureRunner(live);
      kafka.createTopics(
          Map.of(live.getInputTopic(), 3, live.getProjectionsTopic(), 1, live.getDeadLetterTopic(), 1,
              live.getBeyondLatenessTopic(), 1, live.getFxRatesTopic(), 1, live.getConvertedTopic(), 1,
              live.getLimitsTopic(), 1, live.getCurrentTopic(), 1));
      out.println("1. broker up at " + kafka.bootstrapServers() + " (log under " + work.resolve("kafka") + ")");

      ExposureGraph graph = ExposureGraph.fromOptions(live);
      DemoStream stream =
          new DemoStream(live.getInputTopic(), options.getSeed(), options.getFactCount(), options.getMerchantCount(),
              options.getDayCount(), graph.grid());
      stream.produce(kafka.bootstrapServers());
      out.printf("2. produced %,d records to '%s' (%,d valid copies incl. duplicates and conflicts, %d malformed)%n",
          stream.records.size(), live.getInputTopic(), stream.valid, stream.malformed);
      List<ProducerRecord<String, byte[]>> rates = DemoStream.fxRates(live.getFxRatesTopic(), options.getDayCount());
      stream.send(kafka.bootstrapServers(), rates);
      out.printf("   and %d FX rates to '%s': USD and GBP to EUR for each day (none for GBP on %s)%n",
          rates.size(), live.getFxRatesTopic(), DemoStream.day(options.getDayCount() - 1));
      stream.send(kafka.bootstrapServers(), DemoStream.limits(live.getLimitsTopic(), options.getDayCount()));
      out.printf("   and %s's limits to '%s': 10,000,000.00 EUR, lowered to 1.00 EUR from noon of %s%n",
          DemoStream.LIMITED, live.getLimitsTopic(), DemoStream.limitLoweredDay(options.getDayCount()));

      long t0 = System.nanoTime();
      PipelineResult job = LiveExposure.create(live).run();
      out.println("3. live job running on " + live.getRunner().getSimpleName() + "; waiting for it to drain the topic");
      LiveRun.awaitDrained(
          job, kafka.bootstrapServers(), live, stream.records.size(), stream.valid, Path.of(live.getArchive()), out);
      out.printf("   drained and archived in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      stream.produceBeyondLateness(kafka.bootstrapServers());
      LiveRun.awaitDrained(
          job, kafka.bootstrapServers(), live, stream.records.size() + 1, stream.valid + 1, Path.of(live.getArchive()), out);
      try {
        LiveRun.awaitRecords(kafka.bootstrapServers(), live.getBeyondLatenessTopic(), 1);
      } catch (IllegalStateException notRouted) {
        job.cancel();
        out.println("demo: the late capture did not reach '" + live.getBeyondLatenessTopic() + "': "
            + notRouted.getMessage() + ". Panes of m0 EUR 2025-07-01 on '" + live.getProjectionsTopic() + "':");
        DemoStream.beyondLatenessWindowPanes(kafka.bootstrapServers(), live.getProjectionsTopic())
            .forEach(r -> out.println("   " + r));
        return 1;
      }
      out.println("   then one more capture for 2025-07-01 (m0, EUR 12,345) arrived days after that window closed:");
      out.println("   the live job sent it to '" + live.getBeyondLatenessTopic() + "' and archived it");
      corrected = new RateCorrection(live, stream, graph, options.getDayCount() - 2);
      corrected.send(kafka.bootstrapServers(), out);
      stream.send(kafka.bootstrapServers(), List.of(DemoStream.lateFxRate(live.getFxRatesTopic())));
      awaitRefusedRate(kafka.bootstrapServers(), live.getDeadLetterTopic());
      out.println("   and a third version of USD's rate for " + DemoStream.day(0) + " (" + DemoStream.LATE_RATE
          + ") came after that day had closed: live dead-lettered it (record.beyond_lateness); its archive keeps it");
      LiveRun.awaitParquetRows(ReferenceOptions.referenceArchive(live, live.getArchive()) + "/" + FxRateRecords.FOLDER,
          rates.size() + 2);
      job.cancel();
      out.println("   live job stopped");

      long t1 = System.nanoTime();
      PipelineResult.State state = ReplayExposure.run(replay);
      out.printf("4. replayed the archive: %s in %.1f s, output under %s%n",
          state, (System.nanoTime() - t1) / 1e9, work.resolve("replay"));
      printDeadLetters(ReadBack.topic(kafka.bootstrapServers(), live.getDeadLetterTopic()));

      reconcile.setReport(work.resolve("reconcile").toString());
      reconcile.setRepairOutput(work.resolve("repairs").toString());
      reconcile.setExecute(true);
      out.println();
      out.println("5. reconcile: live newest pane vs replay, per merchant, currency and day; drift explained and repaired");
      first = Reconcile.run(reconcile, out);
      out.println();
      SideBySide.print(first.reconciliation, out);

      ReconcileOptions again = OptionsCopy.of(reconcile, ReconcileOptions.class);
      again.setExecute(false);
      again.setReport(work.resolve("reconcile-after-repair").toString());
      out.println();
      out.println("6. reconcile again, after the repair:");
      second = Reconcile.run(again, out);
      Explain.Result explained = explainDrift(kafka);
      out.println();
      out.println("8. converted daily exposure (EUR): live's newest row vs the replay's, per merchant and day");
      converted =
          ConvertedComparison.of(ReadBack.topic(kafka.bootstrapServers(), live.getConvertedTopic()),
              ReadBack.parquetRows(replay.getOutput() + "/converted"));
      converted.print(out, corrected);
      out.println();
      out.println("9. current exposure (EUR, the last " + graph.currentDays() + " days, with the limit in force):"
          + " live's compacted topic vs the replay's row of the same day, as the first reconcile compared them");
      current = CurrentComparison.of(first.current, ReadBack.parquetRows(replay.getOutput() + "/current"));
      current.print(out, graph.currentDays());
      boolean ok = state == PipelineResult.State.DONE
          && current.allAgree()
          && DemoStream.limitLoweredDay(options.getDayCount()).equals(current.firstOverLimit())
          && corrected.changedLive()
          && converted.allAgree()
          && converted.replayAgreesWith(corrected)
          && first.converted.stream().anyMatch(v -> v.cause == ConvertedVerdict.Cause.RATE_BEYOND_LATENESS)
          && first.publishedConverted.size() == first.converted.stream().filter(v -> v.kind.isDrift()).count()
          && second.converted.stream().noneMatch(v -> v.kind.isDrift())
          && first.reconciliation.drifted().size() == 1
          && first.published.size() == 1
          && second.reconciliation.drifted().isEmpty()
          && second.exitCode == 0
          && explained != null && explained.exitCode() == 0 && explained.liveDifferencesExplained();
      out.println();
      out.println(ok
          ? "live == replay for every window the live run closed, after repairing the one window that drifted\n"
              + "(the beyond-lateness capture) and the converted days that drifted with it or with the rate that\n"
              + "came too late; open windows are still within their allowed lateness."
          : "UNEXPECTED: the demo expected one drifted window and the converted days of the late capture and the\n"
              + "late rate, repaired, then none (see above).");
      out.println("outputs: archive " + live.getArchive() + ", replay " + replay.getOutput() + ", backfills "
          + work.resolve("repairs") + ", reports " + work.resolve("reconcile/reconcile.html") + " and "
          + work.resolve("reconcile-after-repair/reconcile.html") + ", the drifted window explained in "
          + (explained == null ? "(none)" : explained.output + "/" + Explain.HTML_FILE));
      return ok ? 0 : 1;
    }

    /**
     * Explains the window the first reconcile found drifted, fact by fact, where that report links
     * it; null when there was not exactly one.
     */
    private Explain.Result explainDrift(EmbeddedKafka kafka) throws Exception {
      if (first.reconciliation.drifted().size() != 1) {
        return null;
      }
      WindowVerdict drifted = first.reconciliation.drifted().get(0);
      ExplainOptions explain = OptionsCopy.of(replay, ExplainOptions.class);
      explain.setArchive(replay.getArchive());
      explain.setMerchant(drifted.merchantId);
      explain.setCurrency(drifted.currency);
      explain.setWindow(EventEncoder.isoUtc(drifted.windowStart).substring(0, 10));
      explain.setLive("kafka");
      explain.setBootstrapServers(kafka.bootstrapServers());
      explain.setOutput(work.resolve("reconcile").resolve(Reconcile.explainFolder(drifted)).toString());
      explain.setProgressInterval("PT0S");
      out.println();
      out.println("7. explain the drifted window, fact by fact (the report links it):");
      return Explain.run(explain, out);
    }

    /** Waits (60 s at most) until live has dead-lettered the late FX rate. */
    private static void awaitRefusedRate(String bootstrapServers, String deadLetterTopic) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 60_000;
      while (ReadBack.topic(bootstrapServers, deadLetterTopic).stream()
          .noneMatch(r -> r.value().contains("reporting_currency") && r.value().contains("record.beyond_lateness"))) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the late FX rate did not reach '" + deadLetterTopic + "' within 60 s");
        }
        Thread.sleep(500);
      }
    }

    private void printDeadLetters(List<ConsumerRecord<String, String>> letters) {
      Map<String, Integer> byReason = new TreeMap<>();
      for (ConsumerRecord<String, String> r : letters) {
        Json.parse(r.value()).get("reasons").forEach(n -> byReason.merge(n.get("code").asText(), 1, Integer::sum));
      }
      out.println();
      out.println("dead letters: " + letters.size() + " records; by reason:");
      byReason.forEach((reason, n) -> out.printf("  %-32s %d%n", reason, n));
    }
  }
}
