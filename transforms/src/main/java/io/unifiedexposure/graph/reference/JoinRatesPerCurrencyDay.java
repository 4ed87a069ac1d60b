package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.graph.WindowGrid;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
 * The event-time join of one (currency, day): the day's rate versions meet the native rows of
 * every merchant with exposure in that currency that day. Keyed by (currency, day start) in the
 * global window, so nothing here is dropped by a runner for lateness; rates received after their
 * day closed never reach it ({@link RatesWithinLateness}).
 *
 * <p>Versions are judged by {@link FactVersions}. Each merchant's newest native row (highest pane
 * index) is kept. Whenever the rate in force or a merchant's row changes, the
 * merchant's part ({@link CurrencyPart}: native total, converted amount or none) goes on to its
 * (merchant, day), numbered so the newest part wins there whatever order parts arrive in.
 */
final class JoinRatesPerCurrencyDay extends DoFn<KV<String, CurrencyDayInput>, KV<KV<String, Long>, CurrencyPart>> {
  static final TupleTag<KV<KV<String, Long>, CurrencyPart>> PARTS = new TupleTag<KV<KV<String, Long>, CurrencyPart>>() {};
  static final TupleTag<DeadLetter> REFUSED = new TupleTag<DeadLetter>() {};

  private final WindowGrid grid;
  private final String reportingCurrency;
  private final FactVersions<FxRate> versions = FactVersions.ofRates();

  @StateId("rate")
  private final StateSpec<ValueState<FxRate>> rateSpec = StateSpecs.value(FxRate.coder());

  @StateId("rows")
  private final StateSpec<MapState<String, ProjectionRow>> rowsSpec =
      StateSpecs.map(StringUtf8Coder.of(), ProjectionRow.coder());

  @StateId("seq")
  private final StateSpec<ValueState<Long>> seqSpec = StateSpecs.value(VarLongCoder.of());

  /** Clears the day once no row or rate can reach it. */
  @TimerId("expire")
  private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  JoinRatesPerCurrencyDay(WindowGrid grid, String reportingCurrency) {
    this.grid = grid;
    this.reportingCurrency = reportingCurrency;
  }

  @ProcessElement
  public void process(
      @Element KV<String, CurrencyDayInput> element,
      @StateId("rate") ValueState<FxRate> rateState,
      @StateId("rows") MapState<String, ProjectionRow> rows,
      @StateId("seq") ValueState<Long> seqState,
      @TimerId("expire") Timer expire,
      MultiOutputReceiver out) {
    CurrencyDayInput input = element.getValue();
    long day = input.rate != null ? input.rate.dayStartMillis() : input.row.windowStart().getMillis();
    long expiry = grid.expiry(day);
    // Kept one window past the expiry: every native row of the day (its final pane too) is in by then.
    expire.set(new Instant(expiry + grid.windowEnd(day) - day));
    Sequence seq = new Sequence(seqState);
    if (input.rate != null) {
      FxRate inForce = rateState.read();
      FxRate next = versions.judge(input.rate, inForce, out.get(REFUSED)::output);
      if (next != inForce) {
        rateState.write(next);
        for (Map.Entry<String, ProjectionRow> row : rows.entries().read()) {
          out.get(PARTS).output(CurrencyPart.of(row.getValue(), next, reportingCurrency, true, seq.next()));
        }
      }
    } else {
      ProjectionRow row = input.row;
      ProjectionRow kept = rows.get(row.merchantId()).read();
      if (kept == null || kept.paneIndex() < row.paneIndex()) {
        rows.put(row.merchantId(), row);
        out.get(PARTS).output(CurrencyPart.of(row, rateState.read(), reportingCurrency, false, seq.next()));
      }
    }
    seq.save();
  }

  @OnTimer("expire")
  public void onExpire(
      @StateId("rate") ValueState<FxRate> rateState,
      @StateId("rows") MapState<String, ProjectionRow> rows,
      @StateId("seq") ValueState<Long> seqState) {
    rateState.clear();
    rows.clear();
    seqState.clear();
  }

  /** The (currency, day)'s part counter, read once and written once per element. */
  private static final class Sequence {
    private final ValueState<Long> state;
    private long value;

    Sequence(ValueState<Long> state) {
      this.state = state;
      Long stored = state.read();
      this.value = stored == null ? 0 : stored;
    }

    long next() {
      return ++value;
    }

    void save() {
      state.write(value);
    }
  }
}
