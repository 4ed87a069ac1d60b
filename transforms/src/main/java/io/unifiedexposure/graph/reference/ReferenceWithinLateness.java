package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.IsoInstants;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.VersionedFact;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import java.util.Collections;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The lateness rule for reference data, the events' rule: a version received after the window of
 * its day closed (the input watermark past the window's expiry; an FX rate's day, the day a limit
 * takes effect) is dead-lettered as beyond lateness and never applied. Judged straight after
 * decoding, against the watermark the events' dedup judges them by (both read the graph's input),
 * from the very first version of a key: the watermark is read from a timer of the key ({@link
 * Timer#getCurrentRelativeTime()}), which needs no timer set. What passes reaches the join before
 * the join's own watermark can pass that expiry.
 */
final class ReferenceWithinLateness<V> extends DoFn<KV<String, V>, KV<String, V>> {
  private final TupleTag<KV<String, V>> accepted;
  private final TupleTag<DeadLetter> beyond;
  private final WindowGrid grid;
  private final SerializableFunction<V, VersionedFact<?>> factOf;
  private final Counter beyondCount;

  @TimerId("clock")
  private final TimerSpec clockSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  ReferenceWithinLateness(TupleTag<KV<String, V>> accepted, TupleTag<DeadLetter> beyond, WindowGrid grid,
      SerializableFunction<V, VersionedFact<?>> factOf, String beyondCounter) {
    this.accepted = accepted;
    this.beyond = beyond;
    this.grid = grid;
    this.factOf = factOf;
    this.beyondCount = ExposureMetrics.counter(beyondCounter);
  }

  @ProcessElement
  public void process(@Element KV<String, V> element, @TimerId("clock") Timer clock, MultiOutputReceiver out) {
    VersionedFact<?> fact = factOf.apply(element.getValue());
    long expiry = grid.expiry(fact.dayStartMillis());
    if (clock.getCurrentRelativeTime().getMillis() > expiry) {
      beyondCount.inc();
      out.get(beyond).output(DeadLetter.of(fact.toRaw(), Collections.singletonList(Problem.ofRecord(
          "beyond_lateness",
          "version " + fact.version() + " of " + fact.identity() + " received after the window of its day ("
              + IsoInstants.format(fact.dayStartMillis()).substring(0, 10) + ") closed (the watermark passed "
              + IsoInstants.format(expiry) + "); not applied"))));
    } else {
      out.get(accepted).output(element);
    }
  }

  @OnTimer("clock")
  public void onClock() {}
}
