package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.EvidenceSources.signed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.pipelines.format.CurrentRecords;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The current rows' part of a reconcile: per merchant, its current row as live's topic holds it
 * (the newest day, newest pane) against the replay's row of that day. A current row sums the live
 * job's own converted rows of its N days, and a repair does not change those (it publishes REPAIR
 * converted rows beside them): so a difference is explained when the live job's converted days of
 * those N days differ from the replay's by exactly as much (each such day is in the converted
 * section, with its own cause); any other difference is unexplained.
 */
public final class CurrentSection {
  public enum Kind {
    MATCH("match"),
    CONVERTED_DRIFT("converted-drift"),
    UNEXPLAINED("unexplained");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One merchant's current row compared. */
  public static final class Verdict {
    public final String merchantId;
    public final CurrentRow live;
    public final CurrentRow replay;
    public final Kind kind;
    /** The drifted converted days its N days hold, with their differences. */
    public final List<String> driftDays;

    Verdict(String merchantId, CurrentRow live, CurrentRow replay, Kind kind, List<String> driftDays) {
      this.merchantId = merchantId;
      this.live = live;
      this.replay = replay;
      this.kind = kind;
      this.driftDays = driftDays;
    }

    public long difference() {
      return replay.exposureMinor() - live.exposureMinor();
    }
  }

  final List<Verdict> verdicts;
  /** Merchants whose current day the replay has no row for (outside its range). */
  final int outsideReplay;
  final @Nullable String notCompared;

  private CurrentSection(List<Verdict> verdicts, int outsideReplay, @Nullable String notCompared) {
    this.verdicts = verdicts;
    this.outsideReplay = outsideReplay;
    this.notCompared = notCompared;
  }

  static CurrentSection notCompared(String why) {
    return new CurrentSection(List.of(), 0, why);
  }

  /**
   * {@code liveConverted}: live's converted rows, every pane (REPAIR ones are left aside);
   * {@code replayConverted}: the replay's.
   */
  static CurrentSection of(List<CurrentRow> liveRows, List<CurrentRow> replayRows, List<ConvertedRow> liveConverted,
      List<ConvertedRow> replayConverted) {
    Map<String, CurrentRow> live = new TreeMap<>();
    liveRows.forEach(r -> live.merge(r.merchantId(), r, CurrentRecords::newer));
    Map<String, CurrentRow> replay = new TreeMap<>();
    replayRows.forEach(r -> replay.put(r.merchantId() + "|" + r.asOfDay().getMillis(), r));
    Map<String, ConvertedRow> liveDays = new TreeMap<>();
    for (ConvertedRow r : liveConverted) {
      if (r.paneTiming() != PaneTiming.REPAIR) {
        liveDays.merge(dayKey(r), r, (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
      }
    }
    Map<String, ConvertedRow> replayDays = new TreeMap<>();
    replayConverted.forEach(r -> replayDays.put(dayKey(r), r));
    List<Verdict> verdicts = new ArrayList<>();
    int outside = 0;
    for (CurrentRow l : live.values()) {
      CurrentRow r = replay.get(l.merchantId() + "|" + l.asOfDay().getMillis());
      if (r == null) {
        outside++;
        continue;
      }
      long exposure = 0;
      long facts = 0;
      List<String> days = new ArrayList<>();
      for (long d = l.daysFrom().getMillis(); d <= l.asOfDay().getMillis(); d += DAY) {
        String key = l.merchantId() + "|" + d;
        ConvertedRow ld = liveDays.get(key);
        ConvertedRow rd = replayDays.get(key);
        long diff = minor(rd) - minor(ld);
        long factsDiff = count(rd) - count(ld);
        if (diff != 0 || factsDiff != 0) {
          exposure += diff;
          facts += factsDiff;
          days.add(EventEncoder.isoUtc(d).substring(0, 10) + " " + signed(diff));
        }
      }
      boolean limitSame = Objects.equals(l.limitMinorOrNull(), r.limitMinorOrNull());
      Kind kind;
      if (limitSame && l.exposureMinor() == r.exposureMinor() && l.eventCount() == r.eventCount()
          && l.missingRates().equals(r.missingRates())) {
        kind = Kind.MATCH;
      } else if (limitSame && !days.isEmpty() && l.exposureMinor() + exposure == r.exposureMinor()
          && l.eventCount() + facts == r.eventCount()) {
        kind = Kind.CONVERTED_DRIFT;
      } else {
        kind = Kind.UNEXPLAINED;
      }
      verdicts.add(new Verdict(l.merchantId(), l, r, kind, days));
    }
    return new CurrentSection(verdicts, outside, null);
  }

  private static final long DAY = 86_400_000L;

  private static String dayKey(ConvertedRow r) {
    return r.merchantId() + "|" + r.windowStart().getMillis();
  }

  private static long minor(@Nullable ConvertedRow r) {
    return r == null ? 0 : r.exposureMinor();
  }

  private static long count(@Nullable ConvertedRow r) {
    return r == null ? 0 : r.eventCount();
  }

  List<Verdict> drifted() {
    return verdicts.stream().filter(v -> v.kind != Kind.MATCH).collect(Collectors.toList());
  }

  long unexplained() {
    return verdicts.stream().filter(v -> v.kind == Kind.UNEXPLAINED).count();
  }

  void print(PrintStream out) {
    if (notCompared != null) {
      out.println("  current rows: not compared (" + notCompared + ")");
      return;
    }
    Map<Kind, Long> kinds = verdicts.stream().collect(Collectors.groupingBy(v -> v.kind, TreeMap::new, Collectors.counting()));
    out.println("  current rows, per merchant (live's newest day vs the replay's row of that day): " + verdicts.size()
        + ":" + kinds.entrySet().stream().map(e -> " " + e.getKey().label() + " " + e.getValue()).collect(Collectors.joining())
        + (outsideReplay > 0 ? "; " + outsideReplay + " outside the replay's range" : ""));
    drifted().stream().limit(5).forEach(v -> out.printf("    %s as of %s  live %s  replay %s  diff %s  %s%s%n",
        v.merchantId, day(v.live), view(v.live), view(v.replay), signed(v.difference()), v.kind.label(),
        v.driftDays.isEmpty() ? "" : " (live's converted days " + String.join(", ", v.driftDays)
            + "; a current row is not repaired: it rolls out)"));
  }

  void json(ObjectNode root) {
    ObjectNode c = root.putObject("current");
    if (notCompared != null) {
      c.put("not_compared", notCompared);
      return;
    }
    c.put("merchants", verdicts.size());
    c.put("drifted", drifted().size());
    c.put("unexplained", unexplained());
    c.put("outside_replay", outsideReplay);
    ArrayNode merchants = c.putArray("merchants_compared");
    for (Verdict v : verdicts) {
      ObjectNode n = merchants.addObject();
      n.put("merchant_id", v.merchantId);
      n.put("as_of_day", day(v.live));
      n.put("class", v.kind.label());
      row(n.putObject("live"), v.live);
      row(n.putObject("replay"), v.replay);
      n.put("difference_minor", v.difference());
      v.driftDays.forEach(n.putArray("converted_drift")::add);
    }
  }

  private static void row(ObjectNode n, CurrentRow r) {
    n.put("exposure_minor", r.exposureMinor());
    n.put("event_count", r.eventCount());
    if (r.limit() == null) {
      n.putNull("limit_minor");
    } else {
      n.put("limit_minor", r.limit().limitMinor());
    }
    n.put("over_limit", r.overLimit());
    n.put("pane_index", r.paneIndex());
  }

  private static String day(CurrentRow r) {
    return EventEncoder.isoUtc(r.asOfDay().getMillis()).substring(0, 10);
  }

  private static String view(CurrentRow r) {
    return String.format("%,d", r.exposureMinor())
        + (r.limit() == null ? "" : String.format(" (limit %,d%s)", r.limit().limitMinor(), r.overLimit() ? ", over" : ""));
  }
}
