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

/** The live launcher's FX rates topic: read only when named, and created compacted when missing. */
class FxRatesTopicTest {
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

  @Test
  void noRatesTopicNamedOrNoReportingCurrencyMeansNoRatesRead() {
    assertTrue(!LiveExposure.readsFxRates(PipelineOptionsFactory.create().as(LiveOptions.class)));
    assertTrue(!LiveExposure.readsFxRates(PipelineOptionsFactory.fromArgs(
        "--fxRatesTopic=rates", "--reportingCurrency=none").as(LiveOptions.class)));
  }
}
