package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.graph.IsoDurations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What a live job's Flink state means: the window size, the allowed lateness and the dedup shards.
 * Flink restores state by operator id alone, so a job restored under another definition would read
 * window panes cut at one size into windows of another, and dedup state keyed by one shard count
 * under another (copies then land on shards that never saw their first), and publish the mix to the
 * same projections topic without a word.
 *
 * <p>The launcher records the definition beside the job's checkpoints, in {@code <checkpoint
 * storage>/}{@value #FILE}, when it first starts a job there, and refuses to start a job there under
 * another definition. The early-firing delay is not part of it: it changes when panes fire, not what
 * they hold. Storage the launcher cannot reach (a path only the cluster's machines mount) is not
 * checked, and the launcher says so.
 */
public final class LiveDefinition {
  static final String FILE = "exposure-definition.properties";
  /**
   * Rates in the job's state convert to this currency. A definition recorded before there were
   * converted rows lacks it: such state holds no rates, so any reporting currency may start on it.
   */
  private static final String REPORTING_CURRENCY = "reportingCurrency";
  /**
   * Open current rows in the job's state sum this many days. A definition recorded before there were
   * current rows lacks it: such state holds none, so any value may start on it.
   */
  private static final String CURRENT_DAYS = "currentDays";

  private final Map<String, String> values;

  private LiveDefinition(Map<String, String> values) {
    this.values = values;
  }

  /** The definition a run's options ask for. */
  static LiveDefinition of(LiveOptions live) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("windowSize", live.getWindowSize());
    v.put("allowedLateness", live.getAllowedLateness());
    v.put("dedupShards", Integer.toString(live.getDedupShards()));
    v.put(REPORTING_CURRENCY, live.getReportingCurrency());
    v.put(CURRENT_DAYS, Integer.toString(live.getCurrentDays()));
    return new LiveDefinition(v);
  }

  /**
   * Records this run's definition under {@code stateDir}, or, when one is recorded there already,
   * refuses (IllegalArgumentException, the message for the operator) a run that differs from it.
   * Returns what it did, in one line.
   */
  public static String enforce(LiveOptions live, String stateDir) throws IOException {
    LiveDefinition asked = of(live);
    Path file = new Path(new Path(URI.create(stateDir)), FILE);
    FileSystem fs = file.getFileSystem();
    if (!fs.exists(file)) {
      Properties p = new Properties();
      p.putAll(asked.values);
      try (OutputStream out = fs.create(file, FileSystem.WriteMode.NO_OVERWRITE)) {
        p.store(out, "The definition of the live job's state here; a job started here under another is refused.");
      }
      return "live definition recorded: " + asked + " in " + file;
    }
    Properties p = new Properties();
    try (InputStream in = fs.open(file)) {
      p.load(in);
    }
    Map<String, String> kept = new LinkedHashMap<>();
    p.stringPropertyNames().stream().sorted().forEach(k -> kept.put(k, p.getProperty(k)));
    LiveDefinition recorded = new LiveDefinition(kept);
    String changed = asked.changesFrom(recorded);
    if (!changed.isEmpty()) {
      throw new IllegalArgumentException("refused: the job state under " + stateDir + " was kept with " + recorded
          + "; this run asks for " + changed + ". Restoring that state under another definition would mix two"
          + " answers in one projections topic. Run with the recorded values, or start the new definition as a new"
          + " job: new --stateBackendStoragePath, new --projectionsTopic, fed from the archive (see README,"
          + " 'Running live in production').");
    }
    return "live definition checked: " + asked;
  }

  /**
   * {@link #enforce} when the job keeps Flink state in {@code stateDir}; a storage this machine cannot
   * reach is reported on {@code out} and not checked.
   */
  public static void enforceIfReachable(LiveOptions live, String stateDir, PrintStream out) {
    if (stateDir == null) {
      return;
    }
    try {
      out.println(enforce(live, stateDir));
    } catch (IOException | IllegalStateException | UnsupportedOperationException unreachable) {
      out.println("live definition not checked: " + stateDir + " cannot be reached from here (" + unreachable + ")");
    }
  }

  /** The entries of this definition that differ from {@code recorded}, as {@code key=value} (empty if none). */
  private String changesFrom(LiveDefinition recorded) {
    return values.entrySet().stream()
        .filter(e -> !same(e.getKey(), e.getValue(), recorded.values.get(e.getKey())))
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** Durations compare by length (P1D and PT24H are one size); a value not recorded is a change. */
  private static boolean same(String key, String asked, String recorded) {
    if (recorded == null) {
      return key.equals(REPORTING_CURRENCY) || key.equals(CURRENT_DAYS);
    }
    if (key.equals("dedupShards") || key.equals(REPORTING_CURRENCY) || key.equals(CURRENT_DAYS)) {
      return asked.equals(recorded.trim());
    }
    return IsoDurations.parse(key, asked).equals(IsoDurations.parse(key, recorded.trim()));
  }

  @Override
  public String toString() {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }
}
