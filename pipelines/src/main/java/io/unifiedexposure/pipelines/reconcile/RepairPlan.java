package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.EventEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The smallest set of backfill launches that repairs the drifted windows: per merchant, the
 * drifted windows merged into contiguous event-time ranges (adjacent windows become one range);
 * then merchants that need exactly the same range share one launch. Merchants without drift are in
 * no launch, and no window outside a drifted run is recomputed. Drift caused by an archive gap is
 * left out: the replay lacks those facts too, so the archive must be fixed first.
 */
public final class RepairPlan {
  /** What a backfill can repair: a merchant's window that drifted (a native row or a converted day). */
  public interface Target {
    String merchant();

    long start();

    long end();

    boolean repairable();
  }

  /**
   * One backfill: a time range and the merchants to recompute in it, and the native windows and
   * converted days it repairs.
   */
  public static final class Launch {
    public final long fromMillis;
    public final long toMillis;
    public final SortedSet<String> merchants;
    public final List<WindowVerdict> windows;
    public final List<ConvertedVerdict> convertedDays;

    Launch(long fromMillis, long toMillis, SortedSet<String> merchants, List<Target> targets) {
      this.fromMillis = fromMillis;
      this.toMillis = toMillis;
      this.merchants = merchants;
      this.windows = targets.stream().filter(t -> t instanceof WindowVerdict).map(t -> (WindowVerdict) t)
          .collect(Collectors.toList());
      this.convertedDays = targets.stream().filter(t -> t instanceof ConvertedVerdict).map(t -> (ConvertedVerdict) t)
          .collect(Collectors.toList());
    }

    /** The replay flags of this launch (without --archive and --output). */
    public List<String> flags() {
      return List.of(
          "--from=" + EventEncoder.isoUtc(fromMillis),
          "--to=" + EventEncoder.isoUtc(toMillis),
          "--merchants=" + String.join(",", merchants));
    }

    /** A ready-to-run command line. */
    public String command(String archive, String output, List<String> extraFlags) {
      List<String> parts = new ArrayList<>(List.of("./exposure", "replay", "--archive=" + archive));
      parts.addAll(flags());
      parts.add("--output=" + output);
      parts.addAll(extraFlags);
      return String.join(" ", parts);
    }
  }

  public final List<Launch> launches;
  public final List<WindowVerdict> notRepaired;

  private RepairPlan(List<Launch> launches, List<WindowVerdict> notRepaired) {
    this.launches = launches;
    this.notRepaired = notRepaired;
  }

  public static RepairPlan of(List<WindowVerdict> verdicts) {
    return of(verdicts, List.of());
  }

  /** The plan for drifted native windows and drifted converted days together: one backfill serves both. */
  public static RepairPlan of(List<WindowVerdict> verdicts, List<ConvertedVerdict> convertedDays) {
    Map<String, List<Target>> byMerchant = new TreeMap<>();
    List<WindowVerdict> notRepaired = new ArrayList<>();
    for (WindowVerdict v : verdicts) {
      if (v.repairable()) {
        byMerchant.computeIfAbsent(v.merchantId, m -> new ArrayList<>()).add(v);
      } else if (v.kind.isDrift()) {
        notRepaired.add(v);
      }
    }
    for (ConvertedVerdict v : convertedDays) {
      if (v.repairable()) {
        byMerchant.computeIfAbsent(v.merchantId, m -> new ArrayList<>()).add(v);
      }
    }
    // (from, to) -> merchants needing exactly that range, and the windows it repairs.
    Map<List<Long>, SortedSet<String>> merchantsByRange = new TreeMap<>(RepairPlan::compareRanges);
    Map<List<Long>, List<Target>> windowsByRange = new TreeMap<>(RepairPlan::compareRanges);
    byMerchant.forEach((merchant, windows) -> {
      for (List<Target> run : contiguousRuns(windows)) {
        List<Long> range = List.of(run.get(0).start(), run.stream().mapToLong(Target::end).max().getAsLong());
        merchantsByRange.computeIfAbsent(range, r -> new TreeSet<>()).add(merchant);
        windowsByRange.computeIfAbsent(range, r -> new ArrayList<>()).addAll(run);
      }
    });
    List<Launch> launches = new ArrayList<>();
    merchantsByRange.forEach((range, merchants) ->
        launches.add(new Launch(range.get(0), range.get(1), merchants, windowsByRange.get(range))));
    return new RepairPlan(launches, notRepaired);
  }

  /** The merchant's drifted windows (any currency, converted days too) as runs of adjacent windows. */
  private static List<List<Target>> contiguousRuns(List<Target> windows) {
    List<Target> sorted =
        windows.stream()
            .sorted((a, b) -> Long.compare(a.start(), b.start()))
            .collect(Collectors.toList());
    List<List<Target>> runs = new ArrayList<>();
    List<Target> run = new ArrayList<>();
    long runEnd = Long.MIN_VALUE;
    for (Target v : sorted) {
      if (!run.isEmpty() && v.start() > runEnd) {
        runs.add(run);
        run = new ArrayList<>();
      }
      run.add(v);
      runEnd = Math.max(runEnd, v.end());
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }

  private static int compareRanges(List<Long> a, List<Long> b) {
    int c = Long.compare(a.get(0), b.get(0));
    return c != 0 ? c : Long.compare(a.get(1), b.get(1));
  }
}
