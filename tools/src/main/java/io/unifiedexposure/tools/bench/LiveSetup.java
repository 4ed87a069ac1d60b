package io.unifiedexposure.tools.bench;

import io.unifiedexposure.graph.IsoDurations;
import java.util.Arrays;
import java.util.Locale;

/**
 * One way of running the live job the benchmark measures, written {@code FlinkRunner/p2/heap},
 * {@code FlinkRunner/p1/rocksdb} or {@code DirectRunner}: the runner, FlinkRunner's parallelism
 * and its state backend; optionally {@code /precombine=PT0S} (any ISO duration) to run it with
 * another {@code --precombineInterval} than the bench's, so both can be compared in one run.
 */
final class LiveSetup {
  final String runner;
  final int parallelism;
  final String stateBackend;
  /** The setup's own --precombineInterval, or null for the bench's. */
  final String precombine;

  private LiveSetup(String runner, int parallelism, String stateBackend, String precombine) {
    this.runner = runner;
    this.parallelism = parallelism;
    this.stateBackend = stateBackend;
    this.precombine = precombine;
  }

  static LiveSetup parse(String text) {
    String[] parts = text.trim().split("/");
    String last = parts[parts.length - 1];
    String precombine = null;
    if (parts.length > 1 && last.startsWith("precombine=")) {
      precombine = last.substring("precombine=".length());
      IsoDurations.nonNegative("precombine", precombine);
      parts = Arrays.copyOf(parts, parts.length - 1);
    }
    String runner = parts[0];
    if (runner.equals("DirectRunner") && parts.length == 1) {
      return new LiveSetup(runner, 0, "", precombine);
    }
    if (runner.equals("FlinkRunner") && parts.length == 3 && parts[1].matches("p[1-9][0-9]*")
        && (parts[2].equals("heap") || parts[2].equals("rocksdb"))) {
      return new LiveSetup(runner, Integer.parseInt(parts[1].substring(1)), parts[2], precombine);
    }
    throw new IllegalArgumentException("a live setup is DirectRunner or FlinkRunner/p<parallelism>/<heap|rocksdb>,"
        + " optionally followed by /precombine=<ISO duration>, e.g. FlinkRunner/p2/heap; was '" + text.trim() + "'");
  }

  boolean isFlink() {
    return runner.equals("FlinkRunner");
  }

  /** Flink's name of the state backend: {@code heap} is its filesystem (heap) backend. */
  String flinkStateBackend() {
    return stateBackend.equals("heap") ? "filesystem" : stateBackend;
  }

  /** A name fit for a consumer group, a topic or a directory. */
  String id() {
    String base = isFlink() ? "flink-p" + parallelism + "-" + stateBackend : "direct";
    return precombine == null ? base : base + "-precombine-" + precombine.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    String base = isFlink() ? runner + " p=" + parallelism + " " + stateBackend : runner;
    return precombine == null ? base : base + " precombine " + precombine;
  }
}
