package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.graph.WindowGrid;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Bounded input's (merchant, day) rows, a shard of merchant-days at a time: each ON_TIME, pane 0,
 * final, as the native rows of a replay; built by the streaming path's rule ({@link
 * SumPerMerchantDay#row}). Grouped by {@link #SHARDS} shards rather than by (merchant, day):
 * DirectRunner makes a bundle of each group, and builds each bundle's evaluator anew, which for a
 * thousand merchants over 30 days cost minutes.
 */
final class SumPerMerchantDayOnce
    extends DoFn<KV<Integer, Iterable<KV<KV<String, Long>, CurrencyPart>>>, ConvertedRow> {
  static final int SHARDS = 16;

  private final WindowGrid grid;
  private final String reportingCurrency;
  private final Counter rowsOut = ExposureMetrics.counter(ExposureMetrics.CONVERTED_ROWS);

  SumPerMerchantDayOnce(WindowGrid grid, String reportingCurrency) {
    this.grid = grid;
    this.reportingCurrency = reportingCurrency;
  }

  /** The shard of a (merchant, day). */
  static int shardOf(KV<String, Long> merchantDay) {
    return Math.floorMod(merchantDay.getKey().hashCode() * 31 + Long.hashCode(merchantDay.getValue()), SHARDS);
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<KV<KV<String, Long>, CurrencyPart>>> shard, OutputReceiver<ConvertedRow> out) {
    Map<KV<String, Long>, Map<String, CurrencyPart>> days = new HashMap<>();
    for (KV<KV<String, Long>, CurrencyPart> part : shard.getValue()) {
      days.computeIfAbsent(part.getKey(), k -> new HashMap<>())
          .merge(part.getValue().currency, part.getValue(), (a, b) -> a.seq >= b.seq ? a : b);
    }
    days.forEach((key, newest) -> {
      rowsOut.inc();
      out.output(SumPerMerchantDay.row(key, newest.values(), reportingCurrency, grid, PaneTiming.ON_TIME, 0, true));
    });
  }

  /** Keys a part by the shard of its (merchant, day). */
  static final class KeyByShard extends DoFn<KV<KV<String, Long>, CurrencyPart>, KV<Integer, KV<KV<String, Long>, CurrencyPart>>> {
    @ProcessElement
    public void process(
        @Element KV<KV<String, Long>, CurrencyPart> part,
        OutputReceiver<KV<Integer, KV<KV<String, Long>, CurrencyPart>>> out) {
      out.output(KV.of(shardOf(part.getKey()), part));
    }
  }
}
