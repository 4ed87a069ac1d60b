package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.BooleanCoder;
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
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Streaming input's (merchant, day) converted exposure: the newest part of each of its currencies,
 * summed, and published as panes with the projections' upsert contract ({@link ConvertedRow}): an
 * EARLY row whenever a part arrives before the watermark passes the window's end; when it passes,
 * the ON_TIME row (always, as the native windows); a LATE row per part after that; and when the
 * window expires, the final row (is_final). Bounded input takes {@link SumPerMerchantDayOnce}.
 */
final class SumPerMerchantDay extends DoFn<KV<KV<String, Long>, CurrencyPart>, ConvertedRow> {
  private final WindowGrid grid;
  private final String reportingCurrency;
  private final Counter rowsOut = ExposureMetrics.counter(ExposureMetrics.CONVERTED_ROWS);

  @StateId("parts")
  private final StateSpec<MapState<String, CurrencyPart>> partsSpec =
      StateSpecs.map(StringUtf8Coder.of(), CurrencyPart.Coder.INSTANCE);

  /** The next row's pane index. */
  @StateId("pane")
  private final StateSpec<ValueState<Long>> paneSpec = StateSpecs.value(VarLongCoder.of());

  /** Whether the window's ON_TIME row was published (later rows are LATE). */
  @StateId("passed")
  private final StateSpec<ValueState<Boolean>> passedSpec = StateSpecs.value(BooleanCoder.of());

  @TimerId("onTime")
  private final TimerSpec onTimeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("close")
  private final TimerSpec closeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  SumPerMerchantDay(WindowGrid grid, String reportingCurrency) {
    this.grid = grid;
    this.reportingCurrency = reportingCurrency;
  }

  @ProcessElement
  public void process(
      @Element KV<KV<String, Long>, CurrencyPart> element,
      @StateId("parts") MapState<String, CurrencyPart> parts,
      @StateId("pane") ValueState<Long> pane,
      @StateId("passed") ValueState<Boolean> passed,
      @TimerId("close") Timer close,
      @TimerId("onTime") Timer onTime,
      OutputReceiver<ConvertedRow> out) {
    CurrencyPart part = element.getValue();
    CurrencyPart kept = parts.get(part.currency).read();
    if (kept != null && kept.seq >= part.seq) {
      return; // an older part, overtaken on the way
    }
    long day = element.getKey().getValue();
    if (close.getCurrentRelativeTime().getMillis() > closeAt(day)) {
      return; // the day is closed and published final; the holds upstream keep parts from coming after that
    }
    parts.put(part.currency, part);
    close.set(new Instant(closeAt(day)));
    PaneTiming timing;
    if (Boolean.TRUE.equals(passed.read())) {
      timing = PaneTiming.LATE;
    } else if (close.getCurrentRelativeTime().getMillis() > grid.maxTimestamp(day)) {
      timing = PaneTiming.ON_TIME; // the day's first part came after the watermark passed its end
      passed.write(true);
    } else {
      timing = PaneTiming.EARLY;
      onTime.set(new Instant(grid.maxTimestamp(day)));
    }
    out.output(row(element.getKey(), parts, timing, nextPane(pane), false));
  }

  /**
   * The watermark passed the window's end: every currency's on-time native row is in (each is stamped
   * at the window's max timestamp and held there upstream), so the row now is the day's answer for
   * all data on time.
   */
  @OnTimer("onTime")
  public void onTime(
      @Key KV<String, Long> key,
      @StateId("parts") MapState<String, CurrencyPart> parts,
      @StateId("pane") ValueState<Long> pane,
      @StateId("passed") ValueState<Boolean> passed,
      OutputReceiver<ConvertedRow> out) {
    if (Boolean.TRUE.equals(passed.read())) {
      return;
    }
    passed.write(true);
    out.output(row(key, parts, PaneTiming.ON_TIME, nextPane(pane), false));
  }

  @OnTimer("close")
  public void onClose(
      @Key KV<String, Long> key,
      @StateId("parts") MapState<String, CurrencyPart> parts,
      @StateId("pane") ValueState<Long> pane,
      @StateId("passed") ValueState<Boolean> passed,
      OutputReceiver<ConvertedRow> out) {
    PaneTiming timing = Boolean.TRUE.equals(passed.read()) ? PaneTiming.LATE : PaneTiming.ON_TIME;
    out.output(row(key, parts, timing, nextPane(pane), true));
    parts.clear();
    pane.clear();
    passed.clear();
  }

  /**
   * Just past the window's expiry: a window's final native row is stamped at or before its expiry
   * and held there upstream, so it is in before this fires.
   */
  private long closeAt(long day) {
    return grid.expiry(day) + 1;
  }

  private static long nextPane(ValueState<Long> pane) {
    Long stored = pane.read();
    long index = stored == null ? 0 : stored;
    pane.write(index + 1);
    return index;
  }

  private ConvertedRow row(
      KV<String, Long> key, MapState<String, CurrencyPart> parts, PaneTiming timing, long paneIndex, boolean isFinal) {
    List<CurrencyPart> newest = new ArrayList<>();
    for (Map.Entry<String, CurrencyPart> e : parts.entries().read()) {
      newest.add(e.getValue());
    }
    rowsOut.inc();
    return row(key, newest, reportingCurrency, grid, timing, paneIndex, isFinal);
  }

  /**
   * A (merchant, day)'s row from the newest part of each of its currencies: the converted amounts
   * summed, the currencies without a rate listed (both paths build their rows here).
   */
  static ConvertedRow row(KV<String, Long> key, Collection<CurrencyPart> newest, String reportingCurrency,
      WindowGrid grid, PaneTiming timing, long paneIndex, boolean isFinal) {
    Map<String, CurrencyPart> byCurrency = new TreeMap<>();
    newest.forEach(p -> byCurrency.put(p.currency, p));
    long exposure = 0;
    long events = 0;
    List<String> missing = new ArrayList<>();
    for (CurrencyPart p : byCurrency.values()) {
      events += p.eventCount;
      if (p.hasRate()) {
        exposure = Math.addExact(exposure, p.convertedMinor);
      } else {
        missing.add(p.currency);
      }
    }
    long day = key.getValue();
    return ConvertedRow.of(
        key.getKey(),
        reportingCurrency,
        new Instant(day),
        grid.endInstant(day),
        exposure,
        events,
        new ArrayList<>(byCurrency.keySet()),
        missing,
        timing,
        paneIndex,
        isFinal);
  }
}
