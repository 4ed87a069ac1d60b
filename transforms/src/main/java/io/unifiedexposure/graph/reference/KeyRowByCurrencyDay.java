package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ProjectionRow;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** A native projection row, keyed by the (currency, day) whose rate converts it. */
final class KeyRowByCurrencyDay extends DoFn<ProjectionRow, KV<String, CurrencyDayInput>> {
  @ProcessElement
  public void process(@Element ProjectionRow row, OutputReceiver<KV<String, CurrencyDayInput>> out) {
    out.output(
        KV.of(ConvertedExposure.currencyDay(row.currency(), row.windowStart().getMillis()), CurrencyDayInput.row(row)));
  }
}
