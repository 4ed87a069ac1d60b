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
 *
 * <p>Two orders. {@link #shuffled} (the replay bench) spreads event times over the days at random, so
 * the archive's files each hold every window. {@link #arriving} is a live stream: event time moves
 * forward with arrival over the days, each fact up to {@value #JITTER_MILLIS} ms out of order (inside
 * the live job's default 10 s bound), and a duplicate copies one of the last
 * {@value #RECENT_FACTS} facts, as a client's retry does. A live job then sees what live traffic
 * gives it: windows opening, filling and closing one day after another, most facts on time. (A
 * shuffled stream would put nearly every record beyond the allowed lateness once the watermark has
 * jumped to the newest day.)
 */
final class BenchData {
  private static final long START = Instant.parse("2025-06-01T00:00:00Z").getMillis();
  private static final long DAY = 86_400_000L;
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

  static final long JITTER_MILLIS = 8_000;
  static final int RECENT_FACTS = 1_000;

  final int records;
  final int facts;
  private final int merchants;
  private final int days;
  private final long seed;
  private final boolean arriving;
  private final int[] factOf;

  private BenchData(int records, int merchants, int days, double duplicateRate, long seed, boolean arriving) {
    this.records = records;
    this.merchants = merchants;
    this.days = days;
    this.seed = seed;
    this.arriving = arriving;
    this.factOf = new int[records];
    SplittableRandom rnd = new SplittableRandom(seed);
    int distinct = 0;
    for (int j = 0; j < records; j++) {
      boolean copy = distinct > 0 && rnd.nextDouble() < duplicateRate;
      factOf[j] = !copy ? distinct++
          : arriving ? distinct - 1 - rnd.nextInt(Math.min(distinct, RECENT_FACTS)) : rnd.nextInt(distinct);
    }
    this.facts = distinct;
  }

  /** Event times at random over the days (the replay bench's archives). */
  static BenchData shuffled(int records, int merchants, int days, double duplicateRate, long seed) {
    return new BenchData(records, merchants, days, duplicateRate, seed, false);
  }

  /** Event time moving forward with arrival, as live traffic (the live bench's topic). */
  static BenchData arriving(int records, int merchants, int days, double duplicateRate, long seed) {
    return new BenchData(records, merchants, days, duplicateRate, seed, true);
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
        .setEventTime(new Instant(START + (arriving
            ? k * (days * DAY / Math.max(records, 1)) + Long.remainderUnsigned(h >>> 8, JITTER_MILLIS)
            : Long.remainderUnsigned(h >>> 8, days * DAY))))
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
