package io.unifiedexposure.tools.demo;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.testing.Oracle;
import io.unifiedexposure.testing.RandomHistory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A realistic stream for the demo: a seeded history (several merchants, currencies and days,
 * corrections, identical duplicates, conflicting copies) in a random arrival order up to two days
 * late, keyed by merchant, with a few malformed records mixed in.
 */
public final class DemoStream {
  public static final List<String> MALFORMED =
      List.of(
          "{not json",
          "{\"event_id\":\"bad-currency\",\"merchant_id\":\"m0\",\"event_type\":\"CAPTURE\",\"amount_minor\":100,"
              + "\"currency\":\"eur\",\"event_time\":\"2025-07-02T10:00:00Z\",\"corrects_event_id\":null,\"schema_version\":1}",
          "{\"event_id\":\"negative\",\"merchant_id\":\"m1\",\"event_type\":\"REFUND\",\"amount_minor\":-5,"
              + "\"currency\":\"EUR\",\"event_time\":\"2025-07-02T10:00:00Z\",\"corrects_event_id\":null,\"schema_version\":1}",
          "{\"event_id\":\"orphan-fix\",\"merchant_id\":\"m2\",\"event_type\":\"CORRECTION\",\"amount_minor\":-7,"
              + "\"currency\":\"EUR\",\"event_time\":\"2025-07-03T10:00:00Z\",\"corrects_event_id\":null,\"schema_version\":1}",
          "{\"event_id\":\"v9\",\"merchant_id\":\"m3\",\"event_type\":\"CAPTURE\",\"amount_minor\":5,"
              + "\"currency\":\"EUR\",\"event_time\":\"2025-07-03T10:00:00Z\",\"corrects_event_id\":null,\"schema_version\":9}",
          "{\"event_id\":\"no-zone\",\"merchant_id\":\"m0\",\"event_type\":\"CAPTURE\",\"amount_minor\":5,"
              + "\"currency\":\"EUR\",\"event_time\":\"2025-07-03T10:00:00\",\"corrects_event_id\":null,\"schema_version\":1}",
          "{\"event_id\":\"what\",\"merchant_id\":\"m1\",\"event_type\":\"PAYOUT\",\"amount_minor\":5,"
              + "\"currency\":\"EUR\",\"event_time\":\"2025-07-04T10:00:00Z\",\"corrects_event_id\":null,\"schema_version\":1}");

  /**
   * A capture for the stream's first day that reaches Kafka only after the live job has moved days
   * past that window's allowed lateness: beyond lateness, so live and replay disagree on its window.
   */
  public static final String BEYOND_LATENESS =
      "{\"event_id\":\"demo-beyond-lateness\",\"merchant_id\":\"m0\",\"event_type\":\"CAPTURE\","
          + "\"amount_minor\":12345,\"currency\":\"EUR\",\"event_time\":\"2025-07-01T12:00:00Z\","
          + "\"corrects_event_id\":null,\"schema_version\":1}";

  /** The upsert key of {@link #BEYOND_LATENESS}'s window: m0, EUR, the day from 2025-07-01. */
  public static final String BEYOND_LATENESS_WINDOW =
      ProjectionUpsert.key("m0", "EUR", Instant.parse("2025-07-01T00:00:00Z").toEpochMilli());

  public final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
  /** The receipt time the next record sent gets at the earliest. */
  private long nextReceipt;
  public final RandomHistory history;
  private final String topic;
  public final int valid;
  public final int malformed;

  public DemoStream(String topic, long seed, int facts, int merchants, int days, WindowGrid grid) {
    this.topic = topic;
    this.history = RandomHistory.generate(seed, facts, merchants, days, grid);
    int every = Math.max(1, history.arrivals.size() / (MALFORMED.size() + 1));
    int bad = 0;
    for (int i = 0; i < history.arrivals.size(); i++) {
      Oracle.Copy c = history.arrivals.get(i);
      records.add(new ProducerRecord<>(topic, c.event.merchantId(), EventEncoder.toJsonBytes(c.event)));
      if (i % every == every - 1 && bad < MALFORMED.size()) {
        records.add(new ProducerRecord<>(topic, null, MALFORMED.get(bad++).getBytes(StandardCharsets.UTF_8)));
      }
    }
    this.valid = history.arrivals.size();
    this.malformed = bad;
  }

  /**
   * Sends every record in order and waits for the broker's acknowledgements, failing if any record
   * is refused. Record timestamps (the receipt times the conflict rule reads) strictly increase in
   * arrival order.
   */
  public void produce(String bootstrapServers) {
    send(bootstrapServers, records);
  }

  /** Sends records {@code from} (inclusive) to {@code to} (exclusive), as {@link #produce} does. */
  public void produce(String bootstrapServers, int from, int to) {
    send(bootstrapServers, records.subList(from, to));
  }

  /** The currencies the demo's FX rates convert to EUR (the stream's third currency is EUR itself). */
  public static final List<String> RATED = List.of("USD", "GBP");

  /**
   * Version 1 of the rate of each {@link #RATED} currency for each of the stream's days, but GBP's
   * last day, which gets none (its rows say GBP lacks a rate), keyed as the rates topic is.
   */
  public static List<ProducerRecord<String, byte[]>> fxRates(String topic, int days) {
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      for (String currency : RATED) {
        if (currency.equals("GBP") && d == days - 1) {
          continue;
        }
        String rate = currency.equals("USD") ? "0.9" + d : "1.1" + d;
        out.add(fxRate(topic, currency, day(d), rate, 1));
      }
    }
    return out;
  }

  /** The rate of the version of USD's first-day rate that comes after that day closed. */
  public static final String LATE_RATE = "0.5";

  /** Version 3 of USD's rate for the stream's first day, sent once that day has closed live. */
  public static ProducerRecord<String, byte[]> lateFxRate(String topic) {
    return fxRate(topic, "USD", day(0), LATE_RATE, 3);
  }

  /** A rate record for the topic, keyed {@code currency|reporting_currency|day|version}. */
  public static ProducerRecord<String, byte[]> fxRate(String topic, String currency, String day, String rate, int version) {
    FxRate r = FxRate.of(currency, "EUR", FxRate.dayStart(day), new BigDecimal(rate), version, "demo", 0L);
    return new ProducerRecord<>(topic, currency + "|EUR|" + day + "|" + version, r.toJsonBytes());
  }

  /** The merchant whose limit risk lowers mid-stream. */
  public static final String LIMITED = "m1";
  /** The limit m1 starts with, minor units of EUR: 10,000,000.00, never reached. */
  public static final long GENEROUS_LIMIT = 1_000_000_000L;
  /** The limit m1 has from noon of {@link #limitLoweredDay}: 1.00 EUR, so it is over at once. */
  public static final long LOWERED_LIMIT = 100L;

  /** The day risk lowers m1's limit, from noon: the middle of the stream. */
  public static String limitLoweredDay(int days) {
    return day(days / 2);
  }

  /** m1's limits: a generous one from before the stream, lowered from noon of its middle day. */
  public static List<ProducerRecord<String, byte[]>> limits(String topic, int days) {
    return List.of(
        limit(topic, LIMITED, "2025-06-30T00:00:00Z", GENEROUS_LIMIT),
        limit(topic, LIMITED, limitLoweredDay(days) + "T12:00:00Z", LOWERED_LIMIT));
  }

  private static ProducerRecord<String, byte[]> limit(String topic, String merchant, String effectiveFrom, long minor) {
    io.unifiedexposure.contract.MerchantLimit l = io.unifiedexposure.contract.MerchantLimit.of(
        merchant, "EUR", Instant.parse(effectiveFrom).toEpochMilli(), minor, 1, "demo", 0L);
    return new ProducerRecord<>(topic, merchant + "|" + effectiveFrom + "|1", l.toJsonBytes());
  }

  /** The stream's day {@code d} (0 is 2025-07-01). */
  public static String day(int d) {
    return java.time.LocalDate.of(2025, 7, 1).plusDays(d).toString();
  }

  /** Every pane published for {@link #BEYOND_LATENESS_WINDOW}, in topic order (for a diagnosis). */
  public static List<ProjectionRow> beyondLatenessWindowPanes(String bootstrapServers, String projectionsTopic) {
    return ReadBack.topic(bootstrapServers, projectionsTopic).stream()
        .map(r -> ProjectionRecords.fromJson(r.value()))
        .filter(r -> ProjectionUpsert.key(r).equals(BEYOND_LATENESS_WINDOW))
        .collect(Collectors.toList());
  }

  /** Sends the {@link #BEYOND_LATENESS} fact, keyed by its merchant. */
  public void produceBeyondLateness(String bootstrapServers) {
    send(bootstrapServers, List.of(new ProducerRecord<>(topic, "m0", BEYOND_LATENESS.getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * Sends records stamped one millisecond apart, from now or after the last stamp this stream sent,
   * whichever is later: a stream sent in slices keeps its receipt times in arrival order even when a
   * slice follows the previous one sooner than that slice's stamps ran ahead of the clock.
   */
  public synchronized void send(String bootstrapServers, List<ProducerRecord<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(Publish.inOrderConfig(Map.of(), bootstrapServers), new StringSerializer(),
            new ByteArraySerializer())) {
      long t = Math.max(System.currentTimeMillis(), nextReceipt);
      List<ProducerRecord<String, byte[]>> stamped = new ArrayList<>(records.size());
      for (ProducerRecord<String, byte[]> r : records) {
        stamped.add(new ProducerRecord<>(r.topic(), r.partition(), t++, r.key(), r.value()));
      }
      nextReceipt = t;
      Publish.all(p, stamped);
    }
  }
}
