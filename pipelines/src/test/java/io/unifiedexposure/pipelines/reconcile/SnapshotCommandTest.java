package io.unifiedexposure.pipelines.reconcile;

import static io.unifiedexposure.pipelines.reconcile.Rows.closed;
import static io.unifiedexposure.pipelines.reconcile.Rows.pane;
import static io.unifiedexposure.pipelines.reconcile.Rows.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.PaneTiming;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exposure snapshot}: the projections topic's newest pane per window as Parquet, which
 * reconcile then reads as its live side without the broker.
 */
class SnapshotCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void theNewestPaneOfEachWindowIsWrittenAndReconcileReadsIt() throws Exception {
    // Panes as the live job publishes them: early, on time, late; an older pane after a newer one.
    List<ProjectionRow> panes = List.of(
        pane("a", "EUR", 1, 40, 1, PaneTiming.EARLY, 0, false),
        pane("a", "EUR", 1, 100, 1, PaneTiming.ON_TIME, 1, false),
        closed("a", "EUR", 1, 100, 1),
        pane("a", "EUR", 2, 75, 1, PaneTiming.ON_TIME, 0, false),
        closed("b", "USD", 1, 5, 1),
        pane("b", "USD", 1, 3, 1, PaneTiming.EARLY, 0, false));
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopics(Map.of("projections", 2));
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        for (ProjectionRow r : panes) {
          producer.send(new ProducerRecord<>("projections", ProjectionRecords.kafkaKey(r), ProjectionRecords.toJson(r)));
        }
      }
      String snapshot = dir.resolve("snapshot").toString();
      assertEquals(0, run("snapshot", "--bootstrapServers=" + kafka.bootstrapServers(),
          "--projectionsTopic=projections", "--output=" + snapshot), err.toString());
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("snapshot: 3 windows (newest of 6 panes on 'projections')"),
          out.toString(StandardCharsets.UTF_8));

      List<ProjectionRow> rows = ReadBack.parquetRows(snapshot).stream()
          .map(ProjectionRecords::fromAvro).collect(Collectors.toList());
      assertEquals(new ArrayList<>(ProjectionUpsert.newest(panes).values()).stream()
          .sorted(java.util.Comparator.comparing(ProjectionUpsert::key)).collect(Collectors.toList()), rows);

      assertEquals(2, run("snapshot", "--bootstrapServers=" + kafka.bootstrapServers(),
          "--projectionsTopic=projections", "--output=" + snapshot));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("already holds Parquet files"), err.toString());

      Rows.write(dir.resolve("replay/projections/part-0.parquet"),
          List.of(replay("a", "EUR", 1, 100, 1), replay("a", "EUR", 2, 75, 1), replay("b", "USD", 1, 5, 1)));
      out.reset();
      assertEquals(0, run("reconcile", "--live=" + snapshot, "--replay=" + dir.resolve("replay"),
          "--kafkaEvidence=false", "--report=" + dir.resolve("report")), err.toString());
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("match 2  open 1  missing-live 0  missing-replay 0  value-drift 0"),
          out.toString(StandardCharsets.UTF_8));
    }
  }
}
