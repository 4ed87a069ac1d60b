package io.unifiedexposure.pipelines;

import io.unifiedexposure.graph.ExposureGraph;

import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.IsoDurations;
import io.unifiedexposure.pipelines.explain.Explain;
import io.unifiedexposure.pipelines.explain.ExplainOptions;
import io.unifiedexposure.pipelines.live.KafkaSettings;
import io.unifiedexposure.pipelines.live.LiveDefinition;
import io.unifiedexposure.pipelines.live.LiveExposure;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.live.LiveRun;
import io.unifiedexposure.pipelines.reconcile.Reconcile;
import io.unifiedexposure.pipelines.reconcile.ReconcileOptions;
import io.unifiedexposure.pipelines.reconcile.Snapshot;
import io.unifiedexposure.pipelines.reconcile.SnapshotOptions;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayManifest;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.joda.time.Duration;

/**
 * The production jar's entry point: {@code live}, {@code replay} or {@code reconcile}, followed by
 * Beam-style {@code --flag=value} options; {@code @file} stands for the arguments in that file (one
 * per line, {@code #} comments), e.g. {@code @runners-config/flink-local.args}. ({@code demo} and
 * {@code bench} are the tools jar's: {@code io.unifiedexposure.tools.Tools}; {@code ./exposure}
 * runs either.)
 */
public final class Main {
  public static final String USAGE =
      String.join(
          "\n",
          "usage: exposure <command> [--flag=value ...] [@args-file ...]",
          "",
          "commands:",
          "  live     Kafka JSON events -> the exposure graph -> projections, dead letters and",
          "           beyond-lateness facts to Kafka; every valid record archived to Parquet.",
          "  replay   Parquet archive -> the same graph -> one projection row per window (Parquet);",
          "           --from/--to/--merchants make it a targeted backfill.",
          "  reconcile Live projections vs a replay, per window: drift classified and explained,",
          "           JSON and HTML report, the smallest backfill plan; --execute repairs.",
          "  explain  One merchant's windows fact by fact: a targeted replay with the graph's lineage",
          "           beside the live panes; what counts, what does not and why; sums checked.",
          "  snapshot The projections topic's newest row per window -> one Parquet file (reconcile's",
          "           --live=<dir>: a reconcile without the broker, or of an earlier state).",
          "  demo     (tools jar) Embedded Kafka, a generated stream, the live job until drained, a",
          "           replay of its archive, live vs replay side by side, reconcile, repair, reconcile.",
          "  bench    (tools jar) Generated data: plain Java vs raw Parquet read vs replay per runner;",
          "           live job vs a bare KafkaConsumer; early-pane latency. Events/s and ratios.",
          "",
          "Runner: --runner=DirectRunner (default) or --runner=FlinkRunner --flinkMaster=[local]|host:port.",
          "Each command takes --help.");

  private Main() {}

  /**
   * Exits with the command's code whatever happens: a failed job's client threads (Kafka, Flink)
   * must never keep the JVM alive, or no supervisor sees the failure.
   */
  public static void main(String[] args) {
    System.exit(exitCode(() -> run(args, System.out, System.err), System.err));
  }

  /** A command that returns an exit code. */
  public interface Command {
    int run() throws Exception;
  }

  /** The command's exit code, or 1 with one line naming the cause when it throws. */
  public static int exitCode(Command command, PrintStream err) {
    try {
      return command.run();
    } catch (Exception | LinkageError e) {
      err.println("exposure: failed: " + JobFailures.describe(e));
      return 1;
    }
  }

  /** Runs a command; returns the process exit code. */
  public static int run(String[] rawArgs, PrintStream out, PrintStream err) throws Exception {
    List<String> args;
    try {
      args = expandArgFiles(Arrays.asList(rawArgs));
    } catch (IllegalArgumentException e) {
      err.println("exposure: " + e.getMessage());
      return 2;
    }
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
      out.println(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.get(0);
    String[] rest = args.subList(1, args.size()).toArray(new String[0]);
    boolean help = Arrays.asList(rest).contains("--help");
    try {
      switch (command) {
        case "live":
          if (help) {
            return help(out, "exposure live: the live job; runs until stopped.", LiveOptions.class);
          }
          LiveOptions live = options(rest, LiveOptions.class);
          RunnerDefaults.applyLive(live, rest);
          if (RunnerDefaults.isFlink(live)) {
            LiveDefinition.enforceIfReachable(
                live, live.as(FlinkPipelineOptions.class).getStateBackendStoragePath(), out);
          }
          Pipeline livePipeline = LiveExposure.create(live); // refuses bad flags (exit 2)
          Duration heartbeat = IsoDurations.nonNegative("heartbeatInterval", live.getHeartbeatInterval());
          boolean converts = ExposureGraph.fromOptions(live).reportingCurrency() != null;
          boolean readsRates = LiveExposure.readsFxRates(live);
          try {
            KafkaSettings.checkReachable(live, live.getInputTopic());
            List<String> created = new ArrayList<>();
            if (readsRates) {
              created.add(KafkaSettings.ensureCompactedTopic(live, live.getFxRatesTopic()));
            }
            if (LiveExposure.readsLimits(live)) {
              created.add(KafkaSettings.ensureCompactedTopic(live, live.getLimitsTopic(), "merchant limit"));
            }
            created.addAll(KafkaSettings.ensureOutputTopics(live, LiveExposure.outputTopics(live)));
            for (String line : created) {
              if (line != null && !live.getQuiet()) {
                out.println("exposure live: " + line);
              }
            }
          } catch (IllegalStateException unreachable) {
            err.println("exposure live: " + unreachable.getMessage()
                + (readsRates && unreachable.getMessage().contains("'" + live.getFxRatesTopic() + "'")
                    ? " (the FX rates topic: create it, compacted, or run with --reportingCurrency=none)" : ""));
            return 1;
          }
          if (!live.getQuiet()) {
            out.println("exposure live: starting on " + live.getRunner().getSimpleName() + ": '" + live.getInputTopic()
                + "' at " + live.getBootstrapServers() + " (group " + live.getConsumerGroup() + ") -> '"
                + live.getProjectionsTopic() + "', '" + live.getDeadLetterTopic() + "', '"
                + live.getBeyondLatenessTopic() + "'" + (converts ? ", converted (" + live.getReportingCurrency() + ") '"
                + live.getConvertedTopic() + "' with FX rates from " + (readsRates ? "'" + live.getFxRatesTopic() + "'"
                : "no topic (--fxRatesTopic)") + ", current '" + live.getCurrentTopic() + "' with limits from "
                + (LiveExposure.readsLimits(live) ? "'" + live.getLimitsTopic() + "'" : "no topic (--limitsTopic)") : "")
                + "; archive " + LocalPaths.absolute(live.getArchive()));
          }
          FollowedJob liveJob = FollowedJob.start(livePipeline, live);
          if (RunnerDefaults.isFlink(live) && !live.as(FlinkPipelineOptions.class).getAttachedMode()) {
            try {
              out.println("job submitted, detached: " + liveJob.submitted().getState());
            } catch (RuntimeException failed) {
              err.println("exposure live: the job failed: " + JobFailures.describe(failed));
              return 1;
            }
            return 0;
          }
          return finish(stoppedBySignal(liveJob, err), live.getQuiet() ? Duration.ZERO : heartbeat, live, out, err);
        case "replay":
          if (help) {
            return help(out, "exposure replay: replay or backfill from a Parquet archive.", ReplayOptions.class);
          }
          ReplayOptions replay = options(rest, ReplayOptions.class);
          long started = System.nanoTime();
          ReplayManifest replayed = ReplayExposure.runForManifest(replay, out);
          double seconds = (System.nanoTime() - started) / 1e9;
          out.printf("job finished: %s in %.1f s (%,.0f records/s)%n", replayed.state, seconds,
              replayed.counters.getOrDefault(ExposureMetrics.RECORDS_IN, 0L) / Math.max(seconds, 0.001));
          out.println(replayed.summary());
          return replayed.state.equals(PipelineResult.State.DONE.name()) ? 0 : 1;
        case "reconcile":
          if (help) {
            return help(out, Reconcile.HELP, ReconcileOptions.class);
          }
          return Reconcile.run(options(rest, ReconcileOptions.class), out).exitCode;
        case "explain":
          if (help) {
            return help(out, Explain.HELP, ExplainOptions.class);
          }
          try {
            return Explain.run(options(rest, ExplainOptions.class), out).exitCode();
          } catch (IllegalStateException unreachable) {
            err.println("exposure explain: " + unreachable.getMessage()
                + "; --live=none or --live=<snapshot directory> explains without Kafka");
            return 1;
          }
        case "snapshot":
          if (help) {
            return help(out, Snapshot.HELP, SnapshotOptions.class);
          }
          try {
            Snapshot.run(options(rest, SnapshotOptions.class), out);
          } catch (IllegalStateException unreachable) {
            err.println("exposure snapshot: " + unreachable.getMessage());
            return 1;
          }
          return 0;
        case "demo":
        case "bench":
          err.println("exposure: '" + command + "' is in the tools jar, not the production jar: run ./exposure "
              + command + " (or java -jar tools/target/unified-exposure-tools.jar " + command + ")");
          return 2;
        default:
          err.println("exposure: unknown command '" + command + "'\n\n" + USAGE);
          return 2;
      }
    } catch (IllegalArgumentException e) {
      err.println("exposure " + command + ": " + messageOf(e));
      return 2;
    }
  }

  /**
   * Parses a command's options (a flag given again later replaces the earlier value: {@link
   * LaterFlagsWin}), then applies the launchers' runner defaults ({@link RunnerDefaults}).
   */
  public static <T extends PipelineOptions> T options(String[] args, Class<T> type) {
    PipelineOptionsFactory.register(type);
    String[] effective = LaterFlagsWin.apply(Arrays.asList(args), type).toArray(new String[0]);
    T options = PipelineOptionsFactory.fromArgs(effective).withValidation().as(type);
    RunnerDefaults.apply(options, effective);
    return options;
  }

  /** Prints a command's summary and its flags. */
  public static int help(PrintStream out, String what, Class<? extends PipelineOptions> type) {
    out.println(what);
    out.println();
    OptionsHelp.print(out, type);
    return 0;
  }

  /**
   * A running job cancelled when the JVM is told to stop (SIGTERM, or SIGINT through {@code
   * ./exposure}), so its runner shuts down in order rather than being cut off. (An attached Flink
   * job's in-process cluster stops by its own shutdown hooks.)
   */
  private static FollowedJob stoppedBySignal(FollowedJob job, PrintStream err) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      PipelineResult running = job.resultSoFar();
      if (running != null && !running.getState().isTerminal()) {
        err.println("exposure live: stopping the job (signal)");
        try {
          running.cancel();
        } catch (java.io.IOException | RuntimeException e) {
          err.println("exposure live: could not cancel the job: " + e.getMessage());
        }
      }
    }, "exposure-stop"));
    return job;
  }

  /**
   * Waits for the live job, printing a heartbeat every {@code every} (none for PT0S); reports the
   * job's error in one line if it fails (DirectRunner hands a failure over once, FlinkRunner's
   * attached run throws it when its restarts are spent).
   */
  private static int finish(FollowedJob job, Duration every, LiveOptions live, PrintStream out, PrintStream err) {
    PipelineResult ended;
    try {
      ended = every.getMillis() == 0 ? waitQuietly(job) : waitWithHeartbeat(job, every, live, out);
    } catch (RuntimeException failed) {
      err.println("exposure live: the job failed: " + JobFailures.describe(failed));
      return 1;
    }
    PipelineResult.State state = ended.getState();
    out.println("job finished: " + state);
    return state == PipelineResult.State.DONE ? 0 : 1;
  }

  private static PipelineResult waitQuietly(FollowedJob job) {
    while (true) {
      PipelineResult ended = job.awaitEnd(Duration.standardMinutes(1));
      if (ended != null) {
        return ended;
      }
    }
  }

  /** Waits for the job until it ends, a heartbeat line every {@code every}; returns its result. */
  private static PipelineResult waitWithHeartbeat(FollowedJob job, Duration every, LiveOptions live, PrintStream out) {
    try (Admin admin = Admin.create(KafkaSettings.adminConfig(live))) {
      long previous = 0;
      long since = System.nanoTime();
      while (true) {
        PipelineResult ended = job.awaitEnd(every);
        if (ended != null) {
          return ended;
        }
        long now = System.nanoTime();
        Map<String, Long> counters = job.showsCounters() ? job.counters(ExposureMetrics.NAMESPACE) : null;
        out.println(LiveRun.heartbeat(counters, job.watermark(), admin, live, previous, (now - since) / 1e9));
        previous = counters == null ? 0 : counters.getOrDefault(ExposureMetrics.RECORDS_IN, 0L);
        since = now;
      }
    }
  }

  /** Replaces each {@code @file} by the arguments in it. */
  public static List<String> expandArgFiles(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("@") && a.length() > 1) {
        Path file = Installation.resolve(a.substring(1));
        try {
          for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
              out.add(t);
            }
          }
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read argument file " + file + ": " + e.getMessage());
        }
      } else {
        out.add(a);
      }
    }
    return out;
  }

  /** The message of an error, or of the first cause that has one. */
  public static String messageOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
