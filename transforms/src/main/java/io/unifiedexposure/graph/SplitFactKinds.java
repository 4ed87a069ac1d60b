package io.unifiedexposure.graph;

import io.unifiedexposure.contract.FactKind;
import io.unifiedexposure.contract.RawRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/** Routes each raw record by the contract its source says it is a fact of. */
final class SplitFactKinds extends DoFn<RawRecord, RawRecord> {
  static final TupleTag<RawRecord> EVENTS = new TupleTag<RawRecord>() {};
  static final TupleTag<RawRecord> FX_RATES = new TupleTag<RawRecord>() {};

  @ProcessElement
  public void process(@Element RawRecord raw, MultiOutputReceiver out) {
    out.get(raw.kind() == FactKind.FX_RATE ? FX_RATES : EVENTS).output(raw);
  }
}
