package io.unifiedexposure.pipelines.explain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.format.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One window explained: the replay's answer, every copy the graph met for it with what it did (its
 * lineage), the live panes, what live refused, and the check that the counted deltas sum to the
 * answer. Built from what the targeted replay wrote, never from a second reading of the rules: the
 * outcomes are the graph's own ({@link FactLineage}).
 */
final class WindowExplanation {
  /** A fact live refused or missed, as the live job's own topics say. */
  static final class LiveRefusal {
    final String eventId;
    final String source;
    final long receivedAtMillis;
    final String why;

    LiveRefusal(String eventId, String source, long receivedAtMillis, String why) {
      this.eventId = eventId;
      this.source = source;
      this.receivedAtMillis = receivedAtMillis;
      this.why = why;
    }
  }

  /** A live pane of the window and when it was published (null from a snapshot). */
  static final class LivePane {
    final ProjectionRow row;
    final @Nullable Long publishedAt;

    LivePane(ProjectionRow row, @Nullable Long publishedAt) {
      this.row = row;
      this.publishedAt = publishedAt;
    }
  }

  /** A counted fact, with the running total after it (receipt order) and what live did with it. */
  static final class Step {
    final FactLineage fact;
    final long runningTotal;
    final @Nullable String live;

    Step(FactLineage fact, long runningTotal, @Nullable String live) {
      this.fact = fact;
      this.runningTotal = runningTotal;
      this.live = live;
    }
  }

  final String merchantId;
  final String currency;
  final long windowStart;
  final long windowEnd;
  final long expiry;
  final @Nullable ProjectionRow answer;
  /** Counted facts in receipt order, with the running total. */
  final List<Step> steps = new ArrayList<>();
  /** Copies that do not count (and, live only, withdrawn ones), in receipt order. */
  final List<FactLineage> notCounted = new ArrayList<>();
  final List<LivePane> livePanes;
  final List<LiveRefusal> liveRefusals;
  /** Dead letters of the live job whose payload names this window: {source, reasons, payload}. */
  final List<String[]> deadLetters;
  final long countedSum;
  final long countedFacts;

  WindowExplanation(
      String merchantId, String currency, long windowStart, long windowEnd, long expiry,
      @Nullable ProjectionRow answer, List<FactLineage> lineage, List<LivePane> livePanes,
      List<LiveRefusal> liveRefusals, List<String[]> deadLetters) {
    this.merchantId = merchantId;
    this.currency = currency;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.expiry = expiry;
    this.answer = answer;
    this.livePanes = new ArrayList<>(livePanes);
    this.livePanes.sort(Comparator.comparingLong(p -> p.row.paneIndex()));
    this.liveRefusals = liveRefusals;
    this.deadLetters = deadLetters;
    Map<String, LiveRefusal> refusedById = new HashMap<>();
    liveRefusals.forEach(r -> refusedById.put(r.eventId, r));
    List<FactLineage> inOrder = new ArrayList<>(lineage);
    inOrder.sort(Comparator.comparingLong(FactLineage::receivedAtMillis).thenComparing(FactLineage::source));
    boolean byReceipt = receiptClockAgreesWithLive(inOrder, refusedById);
    Long newestPublished = liveJobNewest() == null ? null : liveJobNewest().publishedAt;
    long total = 0;
    long facts = 0;
    for (FactLineage l : inOrder) {
      if (l.countDelta() == 0 || l.outcome() == FactLineage.Outcome.WITHDRAWN) {
        notCounted.add(l);
      }
      if (l.countDelta() == 0) {
        continue;
      }
      total += l.contributionMinor();
      facts += l.countDelta();
      if (l.outcome() == FactLineage.Outcome.COUNTED) {
        LiveRefusal refused = refusedById.get(l.event().eventId());
        String live = refused != null ? refused.why + closedAt()
            : byReceipt && receivedAfter(l, newestPublished) ? "received after live's newest pane was published" : null;
        steps.add(new Step(l, total, live));
      }
    }
    this.countedSum = total;
    this.countedFacts = facts;
  }

  private static boolean receivedAfter(FactLineage l, @Nullable Long published) {
    return published != null && l.receivedAtMillis() > published;
  }

  /**
   * Whether the facts' receipt times can tell which ones live's newest pane could not hold: only
   * when the facts it leaves out (refused, or received after the pane was published) leave exactly
   * the pane's fact count. Receipt times are the records' timestamps, set by whoever produced them;
   * a producer that stamps them ahead of the clock (a stream sent faster than its stamps advance)
   * would otherwise have live "miss" facts its pane counts.
   */
  private boolean receiptClockAgreesWithLive(List<FactLineage> inOrder, Map<String, LiveRefusal> refusedById) {
    LivePane newest = liveJobNewest();
    if (newest == null || newest.publishedAt == null) {
      return true;
    }
    long left = 0;
    for (FactLineage l : inOrder) {
      if (l.countDelta() != 0 && l.outcome() == FactLineage.Outcome.COUNTED
          && (refusedById.containsKey(l.event().eventId()) || receivedAfter(l, newest.publishedAt))) {
        continue;
      }
      left += l.countDelta();
    }
    return left == newest.row.eventCount();
  }

  /** When live published the window's final pane, as a clause; empty when unknown. */
  private String closedAt() {
    for (LivePane p : livePanes) {
      if (p.row.isFinal() && p.row.paneTiming() != PaneTiming.REPAIR && p.publishedAt != null) {
        return "; live published its final pane at " + EventEncoder.isoUtc(p.publishedAt);
      }
    }
    return "";
  }

  String key() {
    return ProjectionUpsert.key(merchantId, currency, windowStart);
  }

  long answerMinor() {
    return answer == null ? 0 : answer.exposureMinor();
  }

  long answerFacts() {
    return answer == null ? 0 : answer.eventCount();
  }

  /** Whether the counted deltas sum exactly to the replay's answer (and the facts to its count). */
  boolean sumChecks() {
    return countedSum == answerMinor() && countedFacts == answerFacts();
  }

  /** Live's upsert winner (highest pane_index), or null when live published nothing for it. */
  @Nullable LivePane newestLive() {
    return livePanes.isEmpty() ? null : livePanes.get(livePanes.size() - 1);
  }

  /**
   * The live job's own newest pane: the highest pane_index that is not a {@code REPAIR} row
   * (published by reconcile); null when the live job published nothing for the window.
   */
  @Nullable LivePane liveJobNewest() {
    for (int i = livePanes.size() - 1; i >= 0; i--) {
      if (livePanes.get(i).row.paneTiming() != PaneTiming.REPAIR) {
        return livePanes.get(i);
      }
    }
    return null;
  }

  /** A {@code REPAIR} row that is the upsert winner, or null. */
  @Nullable LivePane repair() {
    LivePane newest = newestLive();
    return newest != null && newest.row.paneTiming() == PaneTiming.REPAIR ? newest : null;
  }

  /** Replay minus the live job's newest value; null without live panes. */
  @Nullable Long difference() {
    LivePane newest = liveJobNewest();
    return newest == null ? null : answerMinor() - newest.row.exposureMinor();
  }

  /** What the counted facts live refused or missed add up to. */
  long missedByLive() {
    long sum = 0;
    for (Step s : steps) {
      if (s.live != null) {
        sum += s.fact.contributionMinor();
      }
    }
    return sum;
  }

  /** One sentence on why live and replay differ, or that they agree (and whether a repair mended it). */
  @Nullable String verdict() {
    Long diff = difference();
    if (diff == null) {
      return repair() == null ? null : "only a repair row was published: " + repairSentence();
    }
    if (diff == 0) {
      return "the live job's newest pane equals the replay's answer";
    }
    long missed = missedByLive();
    long missedCount = steps.stream().filter(s -> s.live != null).count();
    String why = missed == diff
        ? String.format("the %d fact(s) live refused or missed add %s: exactly the difference", missedCount,
            signed(missed))
        : String.format("the facts live refused or missed add %s of the %s difference; the rest is not "
            + "explained by this slice", signed(missed), signed(diff));
    return repair() == null ? why : why + "; " + repairSentence();
  }

  private String repairSentence() {
    LivePane r = repair();
    return String.format("reconcile repaired it to %,d at pane_index %d%s", r.row.exposureMinor(), r.row.paneIndex(),
        r.row.exposureMinor() == answerMinor() ? " (the replay's answer)" : " (NOT the replay's answer)");
  }

  ObjectNode toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("merchant_id", merchantId);
    n.put("currency", currency);
    n.put("window_start", EventEncoder.isoUtc(windowStart));
    n.put("window_end", EventEncoder.isoUtc(windowEnd));
    n.put("window_closes", EventEncoder.isoUtc(expiry));
    ObjectNode a = n.putObject("answer");
    a.put("exposure_minor", answerMinor());
    a.put("event_count", answerFacts());
    ObjectNode check = n.putObject("check");
    check.put("counted_sum_minor", countedSum);
    check.put("counted_facts", countedFacts);
    check.put("equals_answer", sumChecks());
    ArrayNode facts = n.putArray("facts");
    for (Step s : steps) {
      ObjectNode f = lineageJson(facts.addObject(), s.fact);
      f.put("running_total_minor", s.runningTotal);
      if (s.live != null) {
        f.put("live", s.live);
      }
    }
    ArrayNode dropped = n.putArray("not_counted");
    for (FactLineage l : notCounted) {
      lineageJson(dropped.addObject(), l).put("why", why(l));
    }
    ArrayNode panes = n.putArray("live_panes");
    for (LivePane p : livePanes) {
      ObjectNode pane = panes.addObject();
      pane.put("pane_index", p.row.paneIndex());
      pane.put("pane_timing", p.row.paneTiming().name());
      pane.put("exposure_minor", p.row.exposureMinor());
      pane.put("event_count", p.row.eventCount());
      pane.put("is_final", p.row.isFinal());
      if (p.publishedAt != null) {
        pane.put("published_at", EventEncoder.isoUtc(p.publishedAt));
      }
    }
    if (liveJobNewest() != null) {
      n.put("live_newest_pane_index", liveJobNewest().row.paneIndex());
      n.put("difference_minor", difference());
    }
    if (verdict() != null) {
      n.put("verdict", verdict());
    }
    ArrayNode letters = n.putArray("dead_letters");
    for (String[] d : deadLetters) {
      ObjectNode l = letters.addObject();
      l.put("source", d[0]);
      l.put("reasons", d[1]);
      l.put("payload", d[2]);
    }
    return n;
  }

  private static ObjectNode lineageJson(ObjectNode f, FactLineage l) {
    f.put("event_id", l.event().eventId());
    f.put("event_type", l.event().eventType().name());
    f.put("delta_minor", l.event().exposureDelta());
    f.put("outcome", l.outcome().name());
    f.put("event_time", EventEncoder.isoUtc(l.event().eventTime().getMillis()));
    f.put("received_at", EventEncoder.isoUtc(l.receivedAtMillis()));
    f.put("source", l.source());
    if (l.event().correctsEventId() != null) {
      f.put("corrects_event_id", l.event().correctsEventId());
    }
    if (l.otherSource() != null) {
      f.put("other_source", l.otherSource());
    }
    return f;
  }

  /** Why a copy does not count, in words. */
  static String why(FactLineage l) {
    switch (l.outcome()) {
      case DUPLICATE:
        return "identical duplicate of " + l.otherSource();
      case CONFLICT_LOST:
        return "same event_id, different content: lost to " + l.otherSource()
            + " (the copy received first counts)";
      case WITHDRAWN:
        return "counted, then withdrawn: " + l.otherSource() + " was received earlier and wins";
      case BEYOND_LATENESS:
        return "arrived after the window closed";
      default:
        return "counts";
    }
  }

  static String signed(long minor) {
    return String.format("%+,d", minor);
  }
}
