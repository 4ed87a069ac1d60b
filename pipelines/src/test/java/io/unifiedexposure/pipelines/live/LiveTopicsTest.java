package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live launcher's topics: the FX rates topic read only when named and created compacted when
 * missing; its output topics created when missing.
 */
class LiveTopicsTest {
  @TempDir Path dir;

  @Test
  void aMissingRatesTopicIsCreatedCompactedOnceAndSaidSo() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      LiveOptions live = PipelineOptionsFactory.fromArgs(
          "--bootstrapServers=" + kafka.bootstrapServers(), "--fxRatesTopic=rates", "--brokerTimeout=PT20S")
          .as(LiveOptions.class);
      assertTrue(LiveExposure.readsFxRates(live));
      String said = KafkaSettings.ensureCompactedTopic(live, "rates");
      assertEquals("created topic 'rates' (compacted, 1 partition): no FX rate in it yet", said);
      assertNull(KafkaSettings.ensureCompactedTopic(live, "rates"), "there now: nothing to say");
      try (Admin admin = LiveRun.admin(kafka.bootstrapServers())) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "rates");
        Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
      }
    }
  }

  /**
   * A live job on a broker that never received a fact beyond lateness still leaves that topic there
   * (empty) for reconcile to read; found at volume, where reconcile refused "topic
   * 'exposure-beyond-lateness' does not exist".
   */
  @Test
  void missingOutputTopicsAreCreatedBeforeTheJobStarts() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      LiveOptions live = PipelineOptionsFactory.fromArgs(
          "--bootstrapServers=" + kafka.bootstrapServers(), "--brokerTimeout=PT20S").as(LiveOptions.class);
      kafka.createTopics(java.util.Map.of(live.getProjectionsTopic(), 1));
      List<String> said = KafkaSettings.ensureOutputTopics(live, LiveExposure.outputTopics(live));
      assertEquals(List.of(
          "created topic 'exposure-dead-letters' (broker's defaults)",
          "created topic 'exposure-beyond-lateness' (broker's defaults)",
          "created topic 'exposure-converted' (broker's defaults)",
          "created topic 'exposure-current' (compacted, broker's partitions)"), said);
      assertEquals(List.of(), KafkaSettings.ensureOutputTopics(live, LiveExposure.outputTopics(live)));
      try (Admin admin = LiveRun.admin(kafka.bootstrapServers())) {
        assertTrue(admin.listTopics().names().get().containsAll(LiveExposure.outputTopics(live).keySet()));
      }
    }
  }

  @Test
  void noRatesTopicNamedOrNoReportingCurrencyMeansNoRatesRead() {
    assertTrue(!LiveExposure.readsFxRates(PipelineOptionsFactory.create().as(LiveOptions.class)));
    assertTrue(!LiveExposure.readsFxRates(PipelineOptionsFactory.fromArgs(
        "--fxRatesTopic=rates", "--reportingCurrency=none").as(LiveOptions.class)));
  }
}
