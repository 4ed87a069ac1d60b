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
  /** One backfill: a time range and the merchants to recompute in it, and the windows it repairs. */
  public static final class Launch {
    public final long fromMillis;
    public final long toMillis;
    public final SortedSet<String> merchants;
    public final List<WindowVerdict> windows;

    Launch(long fromMillis, long toMillis, SortedSet<String> merchants, List<WindowVerdict> windows) {
      this.fromMillis = fromMillis;
      this.toMillis = toMillis;
      this.merchants = merchants;
      this.windows = windows;
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
    Map<String, List<WindowVerdict>> byMerchant = new TreeMap<>();
    List<WindowVerdict> notRepaired = new ArrayList<>();
    for (WindowVerdict v : verdicts) {
      if (v.repairable()) {
        byMerchant.computeIfAbsent(v.merchantId, m -> new ArrayList<>()).add(v);
      } else if (v.kind.isDrift()) {
        notRepaired.add(v);
      }
    }
    // (from, to) -> merchants needing exactly that range, and the windows it repairs.
    Map<List<Long>, SortedSet<String>> merchantsByRange = new TreeMap<>(RepairPlan::compareRanges);
    Map<List<Long>, List<WindowVerdict>> windowsByRange = new TreeMap<>(RepairPlan::compareRanges);
    byMerchant.forEach((merchant, windows) -> {
      for (List<WindowVerdict> run : contiguousRuns(windows)) {
        List<Long> range = List.of(run.get(0).windowStart, run.get(run.size() - 1).windowEnd);
        merchantsByRange.computeIfAbsent(range, r -> new TreeSet<>()).add(merchant);
        windowsByRange.computeIfAbsent(range, r -> new ArrayList<>()).addAll(run);
      }
    });
    List<Launch> launches = new ArrayList<>();
    merchantsByRange.forEach((range, merchants) ->
        launches.add(new Launch(range.get(0), range.get(1), merchants, windowsByRange.get(range))));
    return new RepairPlan(launches, notRepaired);
  }

  /** The merchant's drifted windows (any currency) as runs of adjacent windows. */
  private static List<List<WindowVerdict>> contiguousRuns(List<WindowVerdict> windows) {
    List<WindowVerdict> sorted =
        windows.stream()
            .sorted((a, b) -> Long.compare(a.windowStart, b.windowStart))
            .collect(Collectors.toList());
    List<List<WindowVerdict>> runs = new ArrayList<>();
    List<WindowVerdict> run = new ArrayList<>();
    long runEnd = Long.MIN_VALUE;
    for (WindowVerdict v : sorted) {
      if (!run.isEmpty() && v.windowStart > runEnd) {
        runs.add(run);
        run = new ArrayList<>();
      }
      run.add(v);
      runEnd = Math.max(runEnd, v.windowEnd);
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
