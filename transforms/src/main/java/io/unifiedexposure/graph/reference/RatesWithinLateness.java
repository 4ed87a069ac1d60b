package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.IsoInstants;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import java.util.Collections;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The lateness rule for reference data, the events' rule: a rate received after its day's window
 * closed (the input watermark past the window's expiry) is dead-lettered as beyond lateness and
 * never applied. Judged straight after decoding, against the watermark the events' dedup judges
 * them by (both read the graph's input), from the very first rate of a (currency, day): the
 * watermark is read from a timer of the key ({@link Timer#getCurrentRelativeTime()}), which needs
 * no timer set. What passes reaches the join before the join's own watermark can pass that expiry.
 */
final class RatesWithinLateness extends DoFn<KV<String, CurrencyDayInput>, KV<String, CurrencyDayInput>> {
  static final TupleTag<KV<String, CurrencyDayInput>> ACCEPTED = new TupleTag<KV<String, CurrencyDayInput>>() {};
  static final TupleTag<DeadLetter> BEYOND = new TupleTag<DeadLetter>() {};

  private final WindowGrid grid;
  private final Counter beyond = ExposureMetrics.counter(ExposureMetrics.FX_RATES_BEYOND_LATENESS);

  @TimerId("clock")
  private final TimerSpec clockSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  RatesWithinLateness(WindowGrid grid) {
    this.grid = grid;
  }

  @ProcessElement
  public void process(
      @Element KV<String, CurrencyDayInput> element, @TimerId("clock") Timer clock, MultiOutputReceiver out) {
    FxRate rate = element.getValue().rate;
    long expiry = grid.expiry(rate.dayStartMillis());
    if (clock.getCurrentRelativeTime().getMillis() > expiry) {
      beyond.inc();
      out.get(BEYOND).output(DeadLetter.of(rate.toRaw(), Collections.singletonList(Problem.ofRecord(
          "beyond_lateness",
          "a rate for " + rate.day() + " received after that day's window closed (the watermark passed "
              + IsoInstants.format(expiry) + "); not applied"))));
    } else {
      out.get(ACCEPTED).output(element);
    }
  }

  @OnTimer("clock")
  public void onClock() {}
}
