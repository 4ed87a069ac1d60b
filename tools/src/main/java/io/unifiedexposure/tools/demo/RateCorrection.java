package io.unifiedexposure.tools.demo;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ConvertedRecords;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.testing.Oracle;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The demo's corrected rate: version 2 of USD's rate for a day whose on-time pane the live job has
 * published, sent while the day is still within its lateness; a merchant with USD exposure that day
 * sees its converted row change live.
 */
final class RateCorrection {
  static final String RATE = "0.99";

  private final LiveOptions live;
  private final DemoStream stream;
  final String day;
  final String merchant;
  final String key;
  private final long dayStart;
  ConvertedRow before;
  ConvertedRow after;

  RateCorrection(LiveOptions live, DemoStream stream, ExposureGraph graph, int dayIndex) {
    this.live = live;
    this.stream = stream;
    this.day = DemoStream.day(dayIndex);
    this.dayStart = FxRate.dayStart(day);
    Map<String, long[]> totals = Oracle.totals(stream.history.arrivals, graph.grid());
    String found = null;
    for (Map.Entry<String, long[]> t : totals.entrySet()) {
      if (t.getKey().endsWith("|USD|" + dayStart) && t.getValue()[0] != 0) {
        found = t.getKey().substring(0, t.getKey().indexOf('|'));
        break;
      }
    }
    this.merchant = found == null ? "m0" : found;
    this.key = merchant + "|" + io.unifiedexposure.contract.EventEncoder.isoUtc(dayStart);
  }

  /** Sends the correction and waits (60 s at most) for the merchant's converted row to change. */
  void send(String bootstrapServers, PrintStream out) throws InterruptedException {
    before = newest(bootstrapServers);
    stream.send(bootstrapServers, List.of(DemoStream.fxRate(live.getFxRatesTopic(), "USD", day, RATE, 2)));
    long deadline = System.currentTimeMillis() + 60_000;
    do {
      Thread.sleep(500);
      after = newest(bootstrapServers);
    } while (!changedLive() && System.currentTimeMillis() < deadline);
    out.printf("   then USD's rate for %s was corrected (version 2, %s) after that day's on-time pane: %s's%n",
        day, RATE, merchant);
    out.printf("   converted %s went %s -> %s EUR live%s%n", day, money(before), money(after),
        after == null ? "" : " (" + after.paneTiming() + " pane " + after.paneIndex() + ")");
  }

  boolean changedLive() {
    return before != null && after != null && before.exposureMinor() != after.exposureMinor();
  }

  private ConvertedRow newest(String bootstrapServers) {
    List<ConvertedRow> rows = new ArrayList<>();
    for (ConsumerRecord<String, String> r : ReadBack.topic(bootstrapServers, live.getConvertedTopic())) {
      if (r.key().equals(key)) {
        rows.add(ConvertedRecords.fromJson(r.value()));
      }
    }
    return ConvertedRecords.newest(rows).get(key);
  }

  static String money(ConvertedRow r) {
    return r == null ? "(none)" : String.format("%,.2f", r.exposureMinor() / 100.0);
  }
}
