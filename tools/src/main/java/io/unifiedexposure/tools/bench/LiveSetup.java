package io.unifiedexposure.tools.bench;

/**
 * One way of running the live job the benchmark measures, written {@code FlinkRunner/p2/heap},
 * {@code FlinkRunner/p1/rocksdb} or {@code DirectRunner}: the runner, FlinkRunner's parallelism
 * and its state backend.
 */
final class LiveSetup {
  final String runner;
  final int parallelism;
  final String stateBackend;

  private LiveSetup(String runner, int parallelism, String stateBackend) {
    this.runner = runner;
    this.parallelism = parallelism;
    this.stateBackend = stateBackend;
  }

  static LiveSetup parse(String text) {
    String[] parts = text.trim().split("/");
    String runner = parts[0];
    if (runner.equals("DirectRunner") && parts.length == 1) {
      return new LiveSetup(runner, 0, "");
    }
    if (runner.equals("FlinkRunner") && parts.length == 3 && parts[1].matches("p[1-9][0-9]*")
        && (parts[2].equals("heap") || parts[2].equals("rocksdb"))) {
      return new LiveSetup(runner, Integer.parseInt(parts[1].substring(1)), parts[2]);
    }
    throw new IllegalArgumentException("a live setup is DirectRunner or FlinkRunner/p<parallelism>/<heap|rocksdb>,"
        + " e.g. FlinkRunner/p2/heap; was '" + text.trim() + "'");
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
    return isFlink() ? "flink-p" + parallelism + "-" + stateBackend : "direct";
  }

  @Override
  public String toString() {
    return isFlink() ? runner + " p=" + parallelism + " " + stateBackend : runner;
  }
}
