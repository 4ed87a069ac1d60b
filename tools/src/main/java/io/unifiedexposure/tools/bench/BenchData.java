package io.unifiedexposure.tools.bench;

import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.joda.time.Instant;

/**
 * A seeded benchmark history: {@code records} records over {@code days} days for {@code merchants}
 * merchants and 3 currencies, of which about {@code duplicateRate} are identical copies of an
 * earlier fact. Fact {@code k} is a pure function of the seed and k, so nothing is held but the
 * record-to-fact index: 50% captures, 15% refunds, 5% chargebacks, 25% authorizations, 5% corrections.
 */
final class BenchData {
  private static final long START = Instant.parse("2025-06-01T00:00:00Z").getMillis();
  private static final long DAY = 86_400_000L;
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

  final int records;
  final int facts;
  private final int merchants;
  private final int days;
  private final long seed;
  private final int[] factOf;

  BenchData(int records, int merchants, int days, double duplicateRate, long seed) {
    this.records = records;
    this.merchants = merchants;
    this.days = days;
    this.seed = seed;
    this.factOf = new int[records];
    SplittableRandom rnd = new SplittableRandom(seed);
    int distinct = 0;
    for (int j = 0; j < records; j++) {
      factOf[j] = distinct > 0 && rnd.nextDouble() < duplicateRate ? rnd.nextInt(distinct) : distinct++;
    }
    this.facts = distinct;
  }

  /** Every record, built in memory (what the plain pass runs over, so it is not charged for building). */
  ExposureEvent[] materialize() {
    ExposureEvent[] events = new ExposureEvent[records];
    for (int j = 0; j < records; j++) {
      events[j] = record(j);
    }
    return events;
  }

  /** The j-th record as received. */
  ExposureEvent record(int j) {
    return fact(factOf[j]);
  }

  ExposureEvent fact(int k) {
    long h = mix(seed * 0x9E3779B97F4A7C15L + k);
    int kind = (int) Long.remainderUnsigned(h >>> 24, 100);
    EventType type = kind < 50 ? EventType.CAPTURE : kind < 65 ? EventType.REFUND : kind < 70 ? EventType.CHARGEBACK
        : kind < 95 || k == 0 ? EventType.AUTHORIZATION : EventType.CORRECTION;
    long amount = 1 + Long.remainderUnsigned(h >>> 32, 100_000);
    return ExposureEvent.builder()
        .setEventId("b" + k)
        .setMerchantId("m" + Long.remainderUnsigned(h, merchants))
        .setEventType(type)
        .setAmountMinor(type == EventType.CORRECTION && (h & 1) == 0 ? -amount : amount)
        .setCurrency(CURRENCIES[(int) Long.remainderUnsigned(h >>> 16, CURRENCIES.length)])
        .setEventTime(new Instant(START + Long.remainderUnsigned(h >>> 8, days * DAY)))
        .setCorrectsEventId(type == EventType.CORRECTION ? "b" + (k - 1) : null)
        .setSchemaVersion(1)
        .build();
  }

  /** Writes every record, in order, as our archive: {@code files} Parquet files under {@code dir}. */
  void writeArchive(Path dir, int files) throws IOException {
    Files.createDirectories(dir);
    Schema schema = ArchiveRecords.schema();
    int per = (records + files - 1) / files;
    for (int f = 0; f < files; f++) {
      Path file = dir.resolve(String.format("part-%05d.parquet", f));
      try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
              HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
          .withSchema(schema).build()) {
        for (int j = f * per; j < Math.min(records, (f + 1) * per); j++) {
          w.write(ArchiveRecords.toArchive(schema, record(j), START + j, "bench:" + j));
        }
      }
    }
  }

  /**
   * The plain-Java pass the graph is measured against: a HashSet of event_ids drops identical
   * copies, a HashMap sums exposure and counts facts per (merchant, currency, window).
   */
  static Map<String, long[]> plainPass(ExposureEvent[] events, WindowGrid grid) {
    Set<String> seen = new HashSet<>();
    Map<String, long[]> totals = new HashMap<>();
    for (ExposureEvent e : events) {
      if (seen.add(e.eventId())) {
        long[] t = totals.computeIfAbsent(
            ProjectionUpsert.key(e.merchantId(), e.currency(), grid.windowStart(e.eventTime().getMillis())),
            x -> new long[2]);
        t[0] += e.exposureDelta();
        t[1]++;
      }
    }
    return totals;
  }

  /** SplitMix64's finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
