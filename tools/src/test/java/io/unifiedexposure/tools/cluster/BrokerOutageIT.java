package io.unifiedexposure.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka outage under the live job, on a real standalone cluster with the production settings: the
 * broker stopped for {@value #OUTAGE_SECONDS} s while the job runs, with records it has read but not
 * yet published, then started again on the same log. The outage outlasts the job's Kafka clients'
 * timeouts (cut to 5 s here, so the test need not wait out the 60 s defaults): its producers give
 * up, the job fails and restarts from its last checkpoint by itself, again while the broker is
 * still down, until it is back (its restart budget covers an outage of that length). Nobody touches
 * the job; it takes up the rest of the stream, and in the end nothing is lost or counted twice.
 */
class BrokerOutageIT {
  private static final int OUTAGE_SECONDS = 20;

  @TempDir Path dir;

  @Test
  void theJobRidesOutABrokerOutageByItselfAndLosesNothing() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start("broker-outage-it", dir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      LiveOnCluster live = new LiveOnCluster("outage", cluster, kafka, dir, 4_000);
      int third = live.stream.records.size() / 3;
      live.produce(0, third);
      // Restarts 3 s apart: 20 of them outlast the outage.
      String job = live.start(StandaloneCluster.JAR, List.of(), "--executionRetryDelay=3000",
          "--kafkaConfig=max.block.ms=5000", "--kafkaConfig=request.timeout.ms=5000",
          "--kafkaConfig=delivery.timeout.ms=10000");
      try {
        live.awaitCompletedCheckpoints(job, 3);
        live.produce(third, 2 * third);
        Thread.sleep(500);
        kafka.stop();
        Thread.sleep(OUTAGE_SECONDS * 1000L);
        kafka.restart();
        live.produce(2 * third, live.stream.records.size());

        live.assertConverged();
        live.awaitArchived();
        String state = Json.parse(cluster.rest("GET", "/jobs/" + job)).path("state").asText();
        assertTrue(state.equals("RUNNING"), "the job still runs after the outage: " + state);
        long restored = Json.parse(cluster.rest("GET", "/jobs/" + job + "/checkpoints"))
            .path("counts").path("restored").asLong();
        assertTrue(restored >= 1, "the job restored itself from a checkpoint: " + restored);
        System.out.println("outage: the job restored itself " + restored + " time(s)");
      } finally {
        cluster.cancelRunningJobs();
      }
      live.assertRefusedRecordsArePublished();
      live.assertArchiveHoldsEveryValidRecordAndReplaysToTheOracle();
    }
  }
}
