package io.unifiedexposure.graph;

import io.unifiedexposure.contract.RawRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/** Routes each raw record by the contract its source says it is a fact of. */
final class SplitFactKinds extends DoFn<RawRecord, RawRecord> {
  static final TupleTag<RawRecord> EVENTS = new TupleTag<RawRecord>() {};
  static final TupleTag<RawRecord> FX_RATES = new TupleTag<RawRecord>() {};
  static final TupleTag<RawRecord> LIMITS = new TupleTag<RawRecord>() {};

  @ProcessElement
  public void process(@Element RawRecord raw, MultiOutputReceiver out) {
    switch (raw.kind()) {
      case FX_RATE:
        out.get(FX_RATES).output(raw);
        break;
      case MERCHANT_LIMIT:
        out.get(LIMITS).output(raw);
        break;
      default:
        out.get(EVENTS).output(raw);
    }
  }
}
