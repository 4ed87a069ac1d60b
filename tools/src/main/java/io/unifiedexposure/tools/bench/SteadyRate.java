package io.unifiedexposure.tools.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader's rate once warmed up: how many of {@code total} records it has taken in, sampled over
 * time, and the rate between the moment it passed 20% and the moment it passed 80% of them (job
 * start, ramp-up and the drained tail left out). A reader that never gets that far within its time
 * budget is measured from the end of its warm-up to its last sample; one too fast to sample in
 * between, over its whole read.
 */
final class SteadyRate {
  private final long from;
  private final long to;
  private final long start = System.nanoTime();
  /** {nanos, count, process CPU nanos} at each sample where the count changed. */
  private final List<long[]> changes = new ArrayList<>();
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  SteadyRate(long total) {
    this.from = total / 5;
    this.to = total * 4 / 5;
    changes.add(new long[] {start, 0, os.getProcessCpuTime()});
  }

  void sample(long count) {
    if (changes.isEmpty() || changes.get(changes.size() - 1)[1] != count) {
      changes.add(new long[] {System.nanoTime(), count, os.getProcessCpuTime()});
    }
  }

  /** Whether 80% of the records have been taken in. */
  boolean done() {
    return !changes.isEmpty() && changes.get(changes.size() - 1)[1] >= to;
  }

  double secondsRunning() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The measured span, or null when fewer than two samples fall in it. */
  Span span(double warmupSeconds) {
    long[] first = null;
    long[] last = null;
    for (long[] c : changes) {
      boolean warm = c[1] >= from || (c[0] - start) / 1e9 >= warmupSeconds;
      if (first == null && warm) {
        first = c;
      } else if (first != null && (last == null || last[1] < to)) {
        last = c;
      }
    }
    if (last == null && changes.size() > 1 && changes.get(changes.size() - 1)[1] >= to) {
      // Too fast to sample in the middle (a small topic): the whole read, start included.
      first = changes.get(0);
      last = changes.get(changes.size() - 1);
    }
    return first == null || last == null
        ? null
        : new Span(first[1], last[1], (last[0] - first[0]) / 1e9, (last[2] - first[2]) / 1e9);
  }

  /**
   * Records {@code from}..{@code to} taken in over {@code seconds}, while this process (broker, job
   * and all) used {@code cpuSeconds} of CPU.
   */
  static final class Span {
    final long from;
    final long to;
    final double seconds;
    final double cpuSeconds;

    Span(long from, long to, double seconds, double cpuSeconds) {
      this.from = from;
      this.to = to;
      this.seconds = seconds;
      this.cpuSeconds = cpuSeconds;
    }

    double rate() {
      return (to - from) / seconds;
    }

    /** Records per CPU second this process (broker, job and all) spent over the span. */
    double ratePerBusyCore() {
      return (to - from) / cpuSeconds;
    }

    @Override
    public String toString() {
      return String.format("records %,d..%,d in %.1f s, %.1f cores busy", from, to, seconds, cpuSeconds / seconds);
    }
  }
}
