package io.unifiedexposure.graph.streaming;

import io.unifiedexposure.contract.BeyondLateness;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.graph.rules.Contribution;
import io.unifiedexposure.graph.rules.DedupOutcomes;
import io.unifiedexposure.graph.rules.PathOutputs;
import io.unifiedexposure.graph.rules.SeenFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Dedup for streaming input: counts each fact once per window lifetime, in event time, and knows
 * which facts are late and which are beyond the allowed lateness. Bounded input goes through
 * {@code DedupBoundedShard} instead, with the same rule ({@link DedupOutcomes}); the convergence
 * specs hold the two to the same answer.
 *
 * <p>Keyed by a shard of {@code event_id} (so every copy of a fact meets, whatever its merchant or
 * day) in the global window, many shards by default so that every worker dedups a part; a shard's
 * records come in batches ({@link BatchPerShard}), judged one by one in arrival order, and the state
 * a batch changes besides each fact's own is read and written once per batch. Each batch is judged
 * against the input watermark the runner reports as it is processed ({@link
 * Timer#getCurrentRelativeTime()}), so every shard knows, from its very first fact on, which facts
 * are late and which are beyond the allowed lateness; nothing this stage emits can be dropped by the
 * runner downstream (the windows' input watermark is at or behind this stage's). State holds, per
 * event_id, the copy that counts until that copy's window expires. An event-time "clock" timer
 * walks the grid of window max timestamps and expiries ({@link WindowGrid}) while the shard holds
 * facts: its firings purge what expired, and the pending clock holds this stage's output watermark
 * at the next boundary, at or below every window the shard may still emit into.
 *
 * <p>Outcomes per copy: first copy counts; identical copy is a duplicate (counted in a metric,
 * dropped); a different copy is a conflict: the winner ({@link SeenFact#winsOver}) counts and the
 * loser is dead-lettered; if a later copy wins (copies met out of receipt order), the earlier
 * winner is withdrawn with a negative contribution.
 *
 * <p>Contributions are summed per (merchant, currency, window) for up to {@code precombineMillis}
 * before they are handed on ({@link PendingSums}), so the window stage takes one element per key
 * where it took one per fact. Until they are handed on, a watermark hold at the earliest event time
 * among them keeps every window they belong to open: a processing-time timer hands them on after
 * the interval, an event-time timer as soon as the input watermark reaches that earliest fact (so a
 * window's on-time pane never waits for the processing clock, and a replayed test stream with no
 * processing time still drains). With {@code precombineMillis} 0 each contribution goes on at once.
 */
final class DedupFacts extends DoFn<KV<Integer, List<ReceivedEvent>>, KV<ExposureKey, Contribution>> {
  static final TupleTag<KV<ExposureKey, Contribution>> FACTS =
      new TupleTag<KV<ExposureKey, Contribution>>() {};

  private final WindowGrid grid;
  private final DedupOutcomes outcomes = new DedupOutcomes();
  private final Counter late = ExposureMetrics.counter(ExposureMetrics.LATE);
  private final Counter beyond = ExposureMetrics.counter(ExposureMetrics.BEYOND_LATENESS);

  /** The copy that counts, per event_id, until its window expires. */
  @StateId("seen")
  private final StateSpec<MapState<String, SeenFact>> seenSpec =
      StateSpecs.map(StringUtf8Coder.of(), SeenFact.Coder.INSTANCE);

  /** The last clock time that fired: the watermark is known to be past it. */
  @StateId("floor")
  private final StateSpec<ValueState<Long>> floorSpec = StateSpecs.value(VarLongCoder.of());

  /** When the clock is set to fire, or null when it is not set. */
  @StateId("armed")
  private final StateSpec<ValueState<Long>> armedSpec = StateSpecs.value(VarLongCoder.of());

  /** How many held facts expire at each window expiry; the clock stops after the last one. */
  @StateId("expiries")
  private final StateSpec<MapState<Long, Long>> expiriesSpec =
      StateSpecs.map(VarLongCoder.of(), VarLongCoder.of());

  @TimerId("clock")
  private final TimerSpec clockSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /** Contributions not yet handed on, summed per (merchant, currency, window start). */
  @StateId("pending")
  private final StateSpec<MapState<KV<ExposureKey, Long>, long[]>> pendingSpec =
      StateSpecs.map(PendingSums.KEY_CODER, PendingSums.Coder.INSTANCE);

  /** The earliest event time pending and when the hand-on timer fires, or null when none is pending. */
  @StateId("handOn")
  private final StateSpec<ValueState<long[]>> handOnSpec = StateSpecs.value(PendingSums.Coder.INSTANCE);

  @TimerId("handOnAfter")
  private final TimerSpec handOnAfterSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  @TimerId("handOnAt")
  private final TimerSpec handOnAtSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  private final long precombineMillis;
  /** Whether each copy's outcome is also handed out ({@link PathOutputs#LINEAGE}). */
  private final boolean lineage;

  DedupFacts(WindowGrid grid, long precombineMillis, boolean lineage) {
    this.grid = grid;
    this.precombineMillis = precombineMillis;
    this.lineage = lineage;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, List<ReceivedEvent>> batch,
      @StateId("seen") MapState<String, SeenFact> seen,
      @StateId("floor") ValueState<Long> floorState,
      @StateId("armed") ValueState<Long> armed,
      @StateId("expiries") MapState<Long, Long> expiries,
      @TimerId("clock") Timer clock,
      @StateId("pending") MapState<KV<ExposureKey, Long>, long[]> pending,
      @StateId("handOn") ValueState<long[]> handOn,
      @TimerId("handOnAfter") Timer handOnAfter,
      @TimerId("handOnAt") Timer handOnAt,
      MultiOutputReceiver out) {
    // One watermark for the whole batch: its records are judged as if they had arrived together.
    Long floor = floor(floorState.read(), clock.getCurrentRelativeTime());
    Facts facts = new Facts(out, pending, handOn, handOnAfter, handOnAt);
    BatchEntries<Long, Long> held = new BatchEntries<>(expiries);
    long earliestWindowEnd = Long.MAX_VALUE;
    for (ReceivedEvent received : batch.getValue()) {
      if (judge(received, floor, seen, held, facts, out)) {
        earliestWindowEnd = Math.min(earliestWindowEnd, grid.maxTimestamp(received.event().eventTime().getMillis()));
      }
    }
    facts.flush();
    held.flush();
    if (earliestWindowEnd != Long.MAX_VALUE) {
      arm(floor, earliestWindowEnd, armed, clock);
    }
  }

  /**
   * Judges one copy against what the shard holds; returns whether it is held (or met one held), so
   * the clock must run for its window, false when it was beyond the allowed lateness.
   */
  private boolean judge(
      ReceivedEvent received,
      @Nullable Long floor,
      MapState<String, SeenFact> seen,
      BatchEntries<Long, Long> held,
      Facts facts,
      MultiOutputReceiver out) {
    ExposureEvent event = received.event();
    long ts = event.eventTime().getMillis();
    long expiry = grid.expiry(ts);
    SeenFact copy = SeenFact.of(received);
    if (floor != null && expiry <= floor) {
      beyond.inc();
      out.get(PathOutputs.BEYOND)
          .output(BeyondLateness.of(event, received.raw(), grid.startInstant(ts), grid.endInstant(ts)));
      trace(out, copy, FactLineage.Outcome.BEYOND_LATENESS, null);
      return false;
    }
    SeenFact winner = seen.get(event.eventId()).read();
    if (winner != null && floor != null && grid.expiry(winner.event().eventTime().getMillis()) <= floor) {
      // Held past its window's expiry until the next purge: out of dedup scope, as if forgotten.
      forget(winner, held);
      winner = null;
    }
    switch (DedupOutcomes.judge(winner, copy)) {
      case FIRST:
        if (floor != null && grid.maxTimestamp(ts) <= floor) {
          late.inc();
        }
        facts.add(event, outcomes.counted(event));
        remember(copy, expiry, seen, held);
        trace(out, copy, FactLineage.Outcome.COUNTED, null);
        break;
      case DUPLICATE:
        outcomes.duplicate();
        trace(out, copy, FactLineage.Outcome.DUPLICATE, winner);
        break;
      case WINS:
        // Copies met out of receipt order: withdraw the earlier winner, count this one.
        facts.add(winner.event(), outcomes.withdrawn(winner.event()));
        out.get(PathOutputs.CONFLICTS).output(outcomes.conflict(winner.asRawRecord(), winner.event(), copy));
        facts.add(event, outcomes.counted(event));
        forget(winner, held);
        remember(copy, expiry, seen, held);
        trace(out, winner, FactLineage.Outcome.WITHDRAWN, copy);
        trace(out, copy, FactLineage.Outcome.COUNTED, null);
        break;
      case LOSES:
        out.get(PathOutputs.CONFLICTS).output(outcomes.conflict(received.raw(), event, winner));
        trace(out, copy, FactLineage.Outcome.CONFLICT_LOST, winner);
        break;
    }
    return true;
  }

  @OnTimer("clock")
  public void onClock(
      OnTimerContext context,
      @StateId("seen") MapState<String, SeenFact> seen,
      @StateId("floor") ValueState<Long> floorState,
      @StateId("armed") ValueState<Long> armed,
      @StateId("expiries") MapState<Long, Long> expiries,
      @TimerId("clock") Timer clock) {
    long now = context.fireTimestamp().getMillis();
    floorState.write(now);
    long expired = 0;
    long held = 0;
    long last = Long.MIN_VALUE;
    for (Map.Entry<Long, Long> e : expiries.entries().read()) {
      held += e.getValue();
      if (e.getKey() <= now) {
        expired += e.getValue();
      }
      last = Math.max(last, e.getKey());
    }
    // Purge when at least half of what is held has expired: each scan then removes at least half
    // of the entries it reads, so purging costs O(facts) overall however many days are held.
    if (expired > 0 && 2 * expired >= held) {
      purge(seen, expiries, now);
    }
    if (now < last) {
      setClock(grid.nextBoundaryAfter(now), armed, clock);
    } else {
      armed.clear();
    }
  }

  /** The interval is up: hands the pending sums on (and drops the watermark's timer). */
  @OnTimer("handOnAfter")
  public void onHandOnAfter(
      @StateId("pending") MapState<KV<ExposureKey, Long>, long[]> pending,
      @StateId("handOn") ValueState<long[]> handOn,
      @TimerId("handOnAt") Timer handOnAt,
      MultiOutputReceiver out) {
    handOnAll(pending, handOn, handOnAt, out);
  }

  /** The watermark reached the earliest pending fact: hands the sums on (and drops the other timer). */
  @OnTimer("handOnAt")
  public void onHandOnAt(
      @StateId("pending") MapState<KV<ExposureKey, Long>, long[]> pending,
      @StateId("handOn") ValueState<long[]> handOn,
      @TimerId("handOnAfter") Timer handOnAfter,
      MultiOutputReceiver out) {
    handOnAll(pending, handOn, handOnAfter, out);
  }

  private static void handOnAll(
      MapState<KV<ExposureKey, Long>, long[]> pending, ValueState<long[]> handOn, Timer other,
      MultiOutputReceiver out) {
    PendingSums.handOn(pending, out.get(FACTS));
    handOn.clear();
    other.clear();
  }

  /**
   * Where a batch's counted and withdrawn contributions go: on at once, or into the pending sums.
   * The sums a batch touches are read once and written once ({@link #flush}), and the hand-on
   * timers are set once, at the earliest fact the batch added: the state and timers end as they
   * would after adding each contribution alone.
   */
  private final class Facts {
    private final MultiOutputReceiver out;
    private final BatchEntries<KV<ExposureKey, Long>, long[]> sums;
    private final ValueState<long[]> handOn;
    private final Timer handOnAfter;
    private final Timer handOnAt;
    private long earliest = Long.MAX_VALUE;

    Facts(
        MultiOutputReceiver out,
        MapState<KV<ExposureKey, Long>, long[]> pending,
        ValueState<long[]> handOn,
        Timer handOnAfter,
        Timer handOnAt) {
      this.out = out;
      this.sums = new BatchEntries<>(pending);
      this.handOn = handOn;
      this.handOnAfter = handOnAfter;
      this.handOnAt = handOnAt;
    }

    void add(ExposureEvent e, Contribution c) {
      if (precombineMillis == 0) {
        emit(e, c, out);
        return;
      }
      long ts = e.eventTime().getMillis();
      KV<ExposureKey, Long> key = KV.of(ExposureKey.of(e), grid.windowStart(ts));
      sums.set(key, PendingSums.plus(sums.get(key), c, ts));
      earliest = Math.min(earliest, ts);
    }

    void flush() {
      if (sums.isEmpty()) {
        return;
      }
      sums.flush();
      Instant at = new Instant(earliest);
      long[] due = handOn.read();
      if (due == null) {
        // The first pending sum since the last hand-on: both timers, holding at the earliest fact.
        long after = handOnAfter.getCurrentRelativeTime().getMillis() + precombineMillis;
        handOnAfter.withOutputTimestamp(at).set(new Instant(after));
        handOnAt.withOutputTimestamp(at).set(at);
        handOn.write(new long[] {earliest, after});
      } else if (earliest < due[0]) {
        // An earlier fact: hold (and hand on by the watermark) from it instead.
        handOnAfter.withOutputTimestamp(at).set(new Instant(due[1]));
        handOnAt.withOutputTimestamp(at).set(at);
        handOn.write(new long[] {earliest, due[1]});
      }
    }
  }

  /**
   * Entries of a map state as one batch changes them: each read from state at most once, each
   * written back once ({@link #flush}); an entry set to null is removed.
   */
  private static final class BatchEntries<K, V> {
    private final MapState<K, V> state;
    private final Map<K, @Nullable V> touched = new HashMap<>();

    BatchEntries(MapState<K, V> state) {
      this.state = state;
    }

    @Nullable V get(K key) {
      return touched.containsKey(key) ? touched.get(key) : state.get(key).read();
    }

    void set(K key, @Nullable V value) {
      touched.put(key, value);
    }

    boolean isEmpty() {
      return touched.isEmpty();
    }

    void flush() {
      touched.forEach((key, value) -> {
        if (value == null) {
          state.remove(key);
        } else {
          state.put(key, value);
        }
      });
    }
  }

  /**
   * Where the watermark is known to be: the later of the clock's last firing and the input
   * watermark as the runner reports it now ({@link Timer#getCurrentRelativeTime()} of an event-time
   * timer); null while neither is known yet. The clock's firing is kept in state because it
   * survives a restore, after which the runner reports no watermark until its sources send one.
   */
  private static @Nullable Long floor(@Nullable Long fired, Instant inputWatermark) {
    long watermark = inputWatermark.getMillis();
    if (watermark <= BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
      return fired;
    }
    return fired == null ? watermark : Math.max(fired, watermark);
  }

  /** Hands out a copy's outcome when the graph was asked for lineage. */
  private void trace(MultiOutputReceiver out, SeenFact copy, FactLineage.Outcome outcome, @Nullable SeenFact other) {
    if (lineage) {
      out.get(PathOutputs.LINEAGE).output(DedupOutcomes.lineage(grid, copy, outcome, other));
    }
  }

  private static void emit(ExposureEvent e, Contribution c, MultiOutputReceiver out) {
    out.get(FACTS).outputWithTimestamp(KV.of(ExposureKey.of(e), c), e.eventTime());
  }

  private void remember(SeenFact copy, long expiry, MapState<String, SeenFact> seen, BatchEntries<Long, Long> held) {
    seen.put(copy.event().eventId(), copy);
    count(held, expiry, 1);
  }

  private void forget(SeenFact former, BatchEntries<Long, Long> held) {
    count(held, grid.expiry(former.event().eventTime().getMillis()), -1);
  }

  /** Changes how many held facts expire at {@code expiry}; a count that reaches 0 is removed. */
  private static void count(BatchEntries<Long, Long> held, long expiry, int by) {
    Long n = held.get(expiry);
    long changed = (n == null ? 0 : n) + by;
    held.set(expiry, changed > 0 ? changed : null);
  }

  /**
   * Keeps the clock set. Once it has fired, it always waits at the next grid boundary after the
   * floor, which is at or before every window this stage may still emit into. Before its first
   * firing it waits at the earliest window max timestamp seen.
   */
  private void arm(@Nullable Long floor, long maxTimestamp, ValueState<Long> armed, Timer clock) {
    Long at = armed.read();
    if (at == null) {
      setClock(floor == null ? maxTimestamp : grid.nextBoundaryAfter(floor), armed, clock);
    } else if (floor == null && maxTimestamp < at) {
      setClock(maxTimestamp, armed, clock);
    }
  }

  private static void setClock(long at, ValueState<Long> armed, Timer clock) {
    armed.write(at);
    clock.withOutputTimestamp(new Instant(at)).set(new Instant(at));
  }

  /** Drops facts whose window expired at or before {@code now}. */
  private void purge(MapState<String, SeenFact> seen, MapState<Long, Long> expiries, long now) {
    List<String> expired = new ArrayList<>();
    for (Map.Entry<String, SeenFact> entry : seen.entries().read()) {
      if (grid.expiry(entry.getValue().event().eventTime().getMillis()) <= now) {
        expired.add(entry.getKey());
      }
    }
    expired.forEach(seen::remove);
    List<Long> gone = new ArrayList<>();
    for (Long expiry : expiries.keys().read()) {
      if (expiry <= now) {
        gone.add(expiry);
      }
    }
    gone.forEach(expiries::remove);
  }

  @FinishBundle
  public void finishBundle() {
    outcomes.flushCounts();
  }

  /** Withdrawals and timers use the event time of facts met earlier, before the current element. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
