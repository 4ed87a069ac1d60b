package io.unifiedexposure.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.MerchantLimitRecords;
import io.unifiedexposure.testing.Facts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "What did risk see at 14:02 on July 1?": a replay {@code --asOf} an instant counts only the facts
 * and limits received by then, and its {@code current/} holds each merchant's row as of that day.
 * m1 captured 120.00 EUR (received 10:00) and 50.00 EUR (received 15:00) on July 1; its limit was
 * 100.00 EUR, raised to 200.00 EUR from 14:00 by a limit received at 16:00. At 14:02 risk saw
 * 120.00 over the 100.00 limit: payouts held; the whole archive says 170.00 under 200.00.
 */
class AsOfReplaySpec {
  @TempDir static Path dir;
  private static Path archive;

  private static long at(String iso) {
    return java.time.Instant.parse(iso).toEpochMilli();
  }

  @BeforeAll
  static void writeArchives() throws Exception {
    ExposureEvent morning = Facts.capture("e-120", "m1", 12_000, "EUR").at("2025-07-01T09:55:00Z").build();
    ExposureEvent afternoon = Facts.capture("e-50", "m1", 5_000, "EUR").at("2025-07-01T14:58:00Z").build();
    archive = dir.resolve("archive");
    List<RawRecord> raw = List.of(
        Facts.raw(morning, "kafka:payments/0@1", at("2025-07-01T10:00:00Z")),
        Facts.raw(afternoon, "kafka:payments/0@2", at("2025-07-01T15:00:00Z")));
    ArchiveFixtures.writeOwnArchive(raw, archive);
    // The limits, as any writer of the reference archive's schema writes them.
    Schema schema = MerchantLimitRecords.schema();
    Path file = dir.resolve("archive-reference/merchant_limits/dt=2025-07-01/part-0.parquet");
    java.nio.file.Files.createDirectories(file.getParent());
    try (ParquetWriter<GenericRecord> w = ArchiveFixtures.smallRowGroupWriter(file, schema)) {
      w.write(MerchantLimitRecords.toAvro(schema, MerchantLimit.of("m1", "EUR", at("2025-06-30T00:00:00Z"), 10_000, 1,
          "kafka:limits/0@1", at("2025-06-30T09:00:00Z"))));
      w.write(MerchantLimitRecords.toAvro(schema, MerchantLimit.of("m1", "EUR", at("2025-07-01T14:00:00Z"), 20_000, 1,
          "kafka:limits/0@2", at("2025-07-01T16:00:00Z"))));
    }
  }

  private static List<String> current(String output, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--archive=" + archive, "--output=" + dir.resolve(output)));
    args.addAll(List.of(extra));
    ReplayOptions o = PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation().as(ReplayOptions.class);
    assertEquals(PipelineResult.State.DONE, ReplayExposure.run(o));
    return ReadBack.parquetRows(dir.resolve(output).resolve("current")).stream()
        .map(g -> EventEncoder.isoUtc((Long) g.get("as_of_day")).substring(0, 10) + " " + g.get("exposure_minor")
            + " limit " + g.get("limit_minor") + (Boolean.TRUE.equals(g.get("over_limit")) ? " OVER" : ""))
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void asOfAnInstantTheReplayShowsWhatRiskSawThen() throws Exception {
    assertEquals(List.of("2025-07-01 12000 limit 10000 OVER"),
        current("out-1402", "--asOf=2025-07-01T14:02:00Z"));
    assertEquals(at("2025-07-01T14:02:00Z"), ReplayManifest.read(dir.resolve("out-1402").toString()).asOfMillis);
  }

  @Test
  void withoutAsOfEveryDayHasItsRowFromEverythingTheArchiveHas() throws Exception {
    List<String> rows = current("out-all");
    assertEquals("2025-07-01 17000 limit 20000", rows.get(0));
    // Seven days sum July 1, so the rows go on until it rolls out on July 8.
    assertEquals(8, rows.size());
    assertEquals("2025-07-08 0 limit 20000", rows.get(7));
  }
}
