package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.CurrentRow;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import java.util.ArrayList;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Streaming input's current exposure, per merchant: its newest converted row of each day and its
 * limits in state, and a row per day ({@link CurrentWindow}) published as panes, as the other rows:
 * a day's row opens when the watermark reaches the day or a converted row of that day arrives
 * (EARLY), changes when a converted day it sums or its limit changes (EARLY, or LATE after the
 * day's end), is published ON_TIME when the watermark passes the day's end, and final when the day
 * expires. One event-time timer per merchant is set to the nearest of those moments. A row of the
 * merchant's newest opened day also goes to {@link #LATEST}, what live publishes keyed by merchant.
 * Bounded input takes {@link CurrentExposureOnce}.
 */
final class TrackCurrentExposure extends DoFn<KV<String, MerchantInput>, CurrentRow> {
  static final TupleTag<CurrentRow> ROWS = new TupleTag<CurrentRow>() {};
  static final TupleTag<CurrentRow> LATEST = new TupleTag<CurrentRow>() {};
  static final TupleTag<DeadLetter> REFUSED = new TupleTag<DeadLetter>() {};

  private final WindowGrid grid;
  private final CurrentWindow window;
  private final FactVersions<MerchantLimit> versions = FactVersions.ofLimits();
  private final Counter rowsOut = ExposureMetrics.counter(ExposureMetrics.CURRENT_ROWS);

  /** The newest converted row of each day, by day start. */
  @StateId("days")
  private final StateSpec<MapState<Long, ConvertedRow>> daysSpec = StateSpecs.map(VarLongCoder.of(), ConvertedRow.coder());

  /** The version in force of each limit, by effective_from. */
  @StateId("limits")
  private final StateSpec<MapState<Long, MerchantLimit>> limitsSpec =
      StateSpecs.map(VarLongCoder.of(), MerchantLimit.coder());

  /** The last row published of each open day. */
  @StateId("open")
  private final StateSpec<MapState<Long, CurrentRow>> openSpec = StateSpecs.map(VarLongCoder.of(), CurrentRow.coder());

  /** The next day the clock opens; the days before it were opened or had no row. */
  @StateId("frontier")
  private final StateSpec<ValueState<Long>> frontierSpec = StateSpecs.value(VarLongCoder.of());

  /** The latest day with a converted row. */
  @StateId("lastDay")
  private final StateSpec<ValueState<Long>> lastDaySpec = StateSpecs.value(VarLongCoder.of());

  /** The latest day opened: its rows are the merchant's current ones. */
  @StateId("newest")
  private final StateSpec<ValueState<Long>> newestSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("tick")
  private final TimerSpec tickSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  TrackCurrentExposure(WindowGrid grid, CurrentWindow window) {
    this.grid = grid;
    this.window = window;
  }

  /** The state of one merchant, read once per call. */
  private final class Merchant {
    final String id;
    final long now;
    final MapState<Long, ConvertedRow> daysState;
    final MapState<Long, MerchantLimit> limitsState;
    final MapState<Long, CurrentRow> openState;
    final ValueState<Long> frontier;
    final ValueState<Long> lastDay;
    final ValueState<Long> newest;
    final MultiOutputReceiver out;
    final NavigableMap<Long, ConvertedRow> days = new TreeMap<>();
    final NavigableMap<Long, MerchantLimit> limits = new TreeMap<>();
    final NavigableMap<Long, CurrentRow> open = new TreeMap<>();

    Merchant(String id, long now, MapState<Long, ConvertedRow> daysState, MapState<Long, MerchantLimit> limitsState,
        MapState<Long, CurrentRow> openState, ValueState<Long> frontier, ValueState<Long> lastDay,
        ValueState<Long> newest, MultiOutputReceiver out) {
      this.id = id;
      this.now = now;
      this.daysState = daysState;
      this.limitsState = limitsState;
      this.openState = openState;
      this.frontier = frontier;
      this.lastDay = lastDay;
      this.newest = newest;
      this.out = out;
      daysState.entries().read().forEach(e -> days.put(e.getKey(), e.getValue()));
      limitsState.entries().read().forEach(e -> limits.put(e.getKey(), e.getValue()));
      openState.entries().read().forEach(e -> open.put(e.getKey(), e.getValue()));
    }

    boolean closed(long day) {
      return grid.expiry(day) + 1 < now;
    }

    /** Publishes the day's row if it is new or its values changed (or {@code force}: ON_TIME, final). */
    void publish(long day, boolean force, boolean isFinal) {
      CurrentRow before = open.get(day);
      boolean passed = before != null && before.paneTiming() != PaneTiming.EARLY;
      PaneTiming timing = passed ? PaneTiming.LATE
          : grid.maxTimestamp(day) < now ? PaneTiming.ON_TIME : PaneTiming.EARLY;
      long index = before == null ? 0 : before.paneIndex() + 1;
      CurrentRow row = window.row(id, day, days, limits, timing, index, isFinal);
      if (before != null && !force && row.sameValuesAs(before)) {
        return;
      }
      Long newestDay = newest.read();
      if (newestDay == null || day > newestDay) {
        newest.write(day);
        newestDay = day;
      }
      rowsOut.inc();
      out.get(ROWS).output(row);
      if (day == newestDay) {
        out.get(LATEST).output(row);
      }
      if (isFinal) {
        open.remove(day);
        openState.remove(day);
      } else {
        open.put(day, row);
        openState.put(day, row);
      }
    }

    /**
     * A converted day changed: the open rows that sum it are updated; its own day's row opens (a
     * fact can come before the watermark reaches its day), and so does a row of a day the clock
     * passed while it had no row. Later days are left to the clock.
     */
    void dayChanged(long d) {
      Long f = frontier.read();
      if (f == null) {
        frontier.write(d);
        f = d;
      }
      for (long day = d; day <= window.lastRowFor(d); day += CurrentWindow.DAY) {
        if (closed(day)) {
          continue;
        }
        if (open.containsKey(day)) {
          publish(day, false, false);
        } else if (day == d || day < f) {
          publish(day, true, false);
        }
      }
    }

    /** A limit taking effect on {@code d} changed: updates the open rows from that day on. */
    void limitChanged(long d) {
      for (long day : new ArrayList<>(open.tailMap(d, true).keySet())) {
        publish(day, false, false);
      }
    }

    /** What the clock (the watermark at {@link #now}) brings: days opened, ON_TIME rows, final rows. */
    void advance() {
      Long f = frontier.read();
      Long last = lastDay.read();
      if (f != null && last != null) {
        long day = f;
        for (; day <= window.lastRowFor(last) && day <= now; day += CurrentWindow.DAY) {
          if (!open.containsKey(day) && window.exists(day, days)) {
            publish(day, true, false);
          }
        }
        frontier.write(day);
      }
      Long closedDay = null;
      for (long day : new ArrayList<>(open.keySet())) {
        if (closed(day)) {
          publish(day, true, true);
          closedDay = day;
        } else if (open.get(day).paneTiming() == PaneTiming.EARLY && grid.maxTimestamp(day) < now) {
          publish(day, true, false);
        }
      }
      if (closedDay != null) {
        forgetBefore(closedDay);
      }
    }

    /** A closed day's row is final: the converted days and limits no later row needs go. */
    private void forgetBefore(long closedDay) {
      for (long d : new ArrayList<>(days.headMap(closedDay - window.days() * CurrentWindow.DAY, true).keySet())) {
        days.remove(d);
        daysState.remove(d);
      }
      MerchantLimit inForce = CurrentWindow.limitFor(closedDay, limits);
      if (inForce != null) {
        for (long e : new ArrayList<>(limits.headMap(inForce.effectiveFromMillis(), false).keySet())) {
          limits.remove(e);
          limitsState.remove(e);
        }
      }
      Long last = lastDay.read();
      Long f = frontier.read();
      if (open.isEmpty() && last != null && f != null && f > window.lastRowFor(last)) {
        daysState.clear(); // every row the merchant's days give is final: a later fact starts anew
        frontier.clear();
        lastDay.clear();
        newest.clear();
      }
    }

    /** The nearest moment the clock changes something. */
    void schedule(Timer tick) {
      long next = Long.MAX_VALUE;
      Long f = frontier.read();
      Long last = lastDay.read();
      if (f != null && last != null && f <= window.lastRowFor(last)) {
        next = f - 1; // fires once the watermark reaches the day's start
      }
      for (Map.Entry<Long, CurrentRow> e : open.entrySet()) {
        long at = e.getValue().paneTiming() == PaneTiming.EARLY ? grid.maxTimestamp(e.getKey()) : grid.expiry(e.getKey()) + 1;
        next = Math.min(next, at);
      }
      if (next != Long.MAX_VALUE) {
        tick.set(new Instant(Math.max(next, now - 1)));
      }
    }
  }

  @ProcessElement
  public void process(
      @Element KV<String, MerchantInput> element,
      @StateId("days") MapState<Long, ConvertedRow> days,
      @StateId("limits") MapState<Long, MerchantLimit> limits,
      @StateId("open") MapState<Long, CurrentRow> open,
      @StateId("frontier") ValueState<Long> frontier,
      @StateId("lastDay") ValueState<Long> lastDay,
      @StateId("newest") ValueState<Long> newest,
      @TimerId("tick") Timer tick,
      MultiOutputReceiver out) {
    Merchant m = new Merchant(element.getKey(), tick.getCurrentRelativeTime().getMillis(), days, limits, open, frontier,
        lastDay, newest, out);
    MerchantInput in = element.getValue();
    if (in.day != null) {
      long d = in.day.windowStart().getMillis();
      ConvertedRow kept = m.days.get(d);
      if (kept != null && kept.paneIndex() >= in.day.paneIndex()) {
        return; // an older pane, overtaken on the way
      }
      m.days.put(d, in.day);
      days.put(d, in.day);
      Long last = lastDay.read();
      if (last == null || d > last) {
        lastDay.write(d);
      }
      m.dayChanged(d);
    } else {
      MerchantLimit offered = in.limit;
      MerchantLimit before = m.limits.get(offered.effectiveFromMillis());
      MerchantLimit after = versions.judge(offered, before, out.get(REFUSED)::output);
      if (after == before) {
        return;
      }
      m.limits.put(after.effectiveFromMillis(), after);
      limits.put(after.effectiveFromMillis(), after);
      m.limitChanged(after.dayStartMillis());
    }
    m.schedule(tick);
  }

  @OnTimer("tick")
  public void onTick(
      @Key String merchant,
      @Timestamp Instant firedAt,
      @StateId("days") MapState<Long, ConvertedRow> days,
      @StateId("limits") MapState<Long, MerchantLimit> limits,
      @StateId("open") MapState<Long, CurrentRow> open,
      @StateId("frontier") ValueState<Long> frontier,
      @StateId("lastDay") ValueState<Long> lastDay,
      @StateId("newest") ValueState<Long> newest,
      @TimerId("tick") Timer tick,
      MultiOutputReceiver out) {
    // A timer fires once the watermark passed its time, whether or not the runner says so yet.
    long now = Math.max(tick.getCurrentRelativeTime().getMillis(), firedAt.getMillis() + 1);
    Merchant m = new Merchant(merchant, now, days, limits, open, frontier, lastDay, newest, out);
    m.advance();
    m.schedule(tick);
  }
}
