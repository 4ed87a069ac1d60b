package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.pipelines.format.ConvertedRecords;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.OptionsCopy;
import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.live.KafkaSettings;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Instant;

/**
 * Carries out a repair plan: runs each backfill launch (the replay job, on the runner reconcile was
 * given), then publishes the replay's value of every drifted window to the projections topic as a
 * {@code REPAIR} row: final, at a pane_index one above the newest row of that window (live pane or
 * earlier repair), so a consumer keeping the highest pane_index ends with the replay's value. A
 * window the backfill finds no fact for is repaired to zero.
 */
final class Repair {
  private Repair() {}

  /** Where the {@code i}-th (from 0) backfill of a repair writes its replay. */
  static String launchOutput(String repairDir, int i) {
    return StoredFiles.resolve(repairDir, "launch-" + (i + 1));
  }

  /** What a repair published: native rows and converted rows. */
  static final class Published {
    final List<ProjectionRow> rows = new ArrayList<>();
    final List<ConvertedRow> converted = new ArrayList<>();
  }

  static Published execute(
      RepairPlan plan,
      ReconcileOptions options,
      String archive,
      String repairDir,
      Map<String, ProjectionRow> liveNewest,
      Map<String, ConvertedRow> liveConvertedNewest,
      PrintStream out) throws Exception {
    Published published = new Published();
    List<ProjectionRow> repaired = published.rows;
    for (int i = 0; i < plan.launches.size(); i++) {
      RepairPlan.Launch launch = plan.launches.get(i);
      String output = launchOutput(repairDir, i);
      // Reconcile's runner and graph settings, in a replay's own options object.
      ReplayOptions replay = OptionsCopy.of(options, ReplayOptions.class);
      replay.setArchive(archive);
      replay.setFrom(EventEncoder.isoUtc(launch.fromMillis));
      replay.setTo(EventEncoder.isoUtc(launch.toMillis));
      replay.setMerchants(String.join(",", launch.merchants));
      replay.setOutput(output);
      PipelineResult.State state = PipelineResult.State.valueOf(ReplayExposure.runForManifest(replay, out).state);
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("backfill " + launch.flags() + " ended " + state + "; nothing published");
      }
      Map<String, ProjectionRow> recomputed = new HashMap<>();
      ReadBack.parquetRows(StoredFiles.resolve(output, "projections")).stream()
          .map(ProjectionRecords::fromAvro)
          .forEach(r -> recomputed.put(ProjectionUpsert.key(r), r));
      for (WindowVerdict v : launch.windows) {
        String key = ProjectionUpsert.key(v.merchantId, v.currency, v.windowStart);
        ProjectionRow truth = recomputed.get(key);
        ProjectionRow newest = liveNewest.get(key);
        repaired.add(ProjectionRow.of(v.merchantId, v.currency, new Instant(v.windowStart), new Instant(v.windowEnd),
            truth == null ? 0 : truth.exposureMinor(), truth == null ? 0 : truth.eventCount(),
            PaneTiming.REPAIR, newest == null ? 0 : newest.paneIndex() + 1, true));
      }
      if (!launch.convertedDays.isEmpty()) {
        Map<String, ConvertedRow> convertedTruth = new HashMap<>();
        ReadBack.parquetRows(StoredFiles.resolve(output, "converted")).stream()
            .map(ConvertedRecords::fromAvro)
            .forEach(r -> convertedTruth.put(ConvertedRecords.kafkaKey(r), r));
        for (ConvertedVerdict v : launch.convertedDays) {
          ConvertedRow any = v.live != null ? v.live : v.replay;
          String key = ConvertedRecords.kafkaKey(any);
          ConvertedRow truth = convertedTruth.get(key);
          ConvertedRow newest = liveConvertedNewest.get(key);
          published.converted.add(ConvertedRow.of(v.merchantId, any.reportingCurrency(), new Instant(v.windowStart),
              new Instant(v.windowEnd), truth == null ? 0 : truth.exposureMinor(), truth == null ? 0 : truth.eventCount(),
              truth == null ? List.of() : truth.currencies(), truth == null ? List.of() : truth.missingRates(),
              PaneTiming.REPAIR, newest == null ? 0 : newest.paneIndex() + 1, true));
        }
      }
      out.printf("  backfill %d/%d %s: %s, %d window(s) and %d converted day(s) recomputed under %s%n",
          i + 1, plan.launches.size(), String.join(" ", launch.flags()), state, launch.windows.size(),
          launch.convertedDays.size(), output);
    }
    publish(options, repaired);
    publishConverted(options, published.converted);
    for (ProjectionRow r : repaired) {
      out.printf("  published %s %s %s = %,d (%d facts) at pane_index %d%n", r.merchantId(), r.currency(),
          EventEncoder.isoUtc(r.windowStart().getMillis()).substring(0, 10), r.exposureMinor(), r.eventCount(),
          r.paneIndex());
    }
    for (ConvertedRow r : published.converted) {
      out.printf("  published converted %s %s = %,d %s at pane_index %d%n", r.merchantId(),
          EventEncoder.isoUtc(r.windowStart().getMillis()).substring(0, 10), r.exposureMinor(), r.reportingCurrency(),
          r.paneIndex());
    }
    return published;
  }

  private static void publish(ReconcileOptions options, List<ProjectionRow> rows) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (ProjectionRow r : rows) {
      records.add(new ProducerRecord<>(options.getProjectionsTopic(), ProjectionRecords.kafkaKey(r), ProjectionRecords.toJson(r)));
    }
    send(options, records);
  }

  private static void publishConverted(ReconcileOptions options, List<ConvertedRow> rows) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (ConvertedRow r : rows) {
      records.add(new ProducerRecord<>(options.getConvertedTopic(), ConvertedRecords.kafkaKey(r), ConvertedRecords.toJson(r)));
    }
    send(options, records);
  }

  /** Sends the records in order, each acknowledged, with the job's client settings. */
  private static void send(ReconcileOptions options, List<ProducerRecord<String, String>> records) {
    if (records.isEmpty()) {
      return;
    }
    Map<String, Object> cfg = Publish.inOrderConfig(KafkaSettings.clientConfig(options), options.getBootstrapServers());
    try (KafkaProducer<String, String> p = new KafkaProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
      Publish.all(p, records);
    }
  }
}
