package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.ProjectionRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Bounded input's join of one (currency, day), all of it at once: the rates judged by {@link
 * FactVersions} in receipt order (the order live met them in), then each merchant's newest native row
 * with the rate in force, as one part ({@link CurrencyPart#of}). The streaming join
 * ({@link JoinRatesPerCurrencyDay}) keeps the same in state record by record; on DirectRunner that
 * state is copied for every bundle, which made a replay of a thousand merchants a hundred times
 * slower, hence this path for bounded input.
 */
final class JoinRatesOnce extends DoFn<KV<String, Iterable<CurrencyDayInput>>, KV<KV<String, Long>, CurrencyPart>> {
  private final String reportingCurrency;
  private final FactVersions<FxRate> versions = FactVersions.ofRates();

  JoinRatesOnce(String reportingCurrency) {
    this.reportingCurrency = reportingCurrency;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<CurrencyDayInput>> day, MultiOutputReceiver out) {
    List<FxRate> rates = new ArrayList<>();
    Map<String, ProjectionRow> rows = new HashMap<>();
    for (CurrencyDayInput in : day.getValue()) {
      if (in.rate != null) {
        rates.add(in.rate);
      } else {
        rows.merge(in.row.merchantId(), in.row, (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
      }
    }
    rates.sort(Comparator.comparingLong(FxRate::receivedAtMillis).thenComparing(FxRate::source));
    FxRate inForce = null;
    for (FxRate rate : rates) {
      inForce = versions.judge(rate, inForce, d -> out.get(JoinRatesPerCurrencyDay.REFUSED).output(d));
    }
    for (ProjectionRow row : rows.values()) {
      out.get(JoinRatesPerCurrencyDay.PARTS).output(CurrencyPart.of(row, inForce, reportingCurrency, false, 1));
    }
  }
}
