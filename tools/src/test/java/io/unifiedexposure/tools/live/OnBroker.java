package io.unifiedexposure.tools.live;

import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.live.LiveRun;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Map;

/** A live spec's job on the embedded broker: its own topics, group and archive, short delays. */
public final class OnBroker {
  private OnBroker() {}

  /**
   * Points the options at topics named after {@code name} (created, the input with {@code
   * inputPartitions}), a consumer group and an archive under {@code dir}, with flush, early-firing and
   * idle delays of a second or two, and configures the runner for a streaming run.
   */
  public static LiveOptions configure(LiveOptions live, String name, EmbeddedKafka kafka, Path dir, int inputPartitions) {
    live.setBootstrapServers(kafka.bootstrapServers());
    live.setInputTopic(name + "-events");
    live.setProjectionsTopic(name + "-projections");
    live.setDeadLetterTopic(name + "-dead-letters");
    live.setBeyondLatenessTopic(name + "-beyond");
    live.setConsumerGroup(name + "-group");
    live.setArchive(dir.resolve(name + "-archive").toString());
    live.setArchiveFlushInterval("PT2S");
    live.setEarlyFiringDelay("PT1S");
    live.setIdleTimeout("PT2S");
    live.setStreaming(true);
    LiveRun.configureRunner(live);
    kafka.createTopics(Map.of(live.getInputTopic(), inputPartitions, live.getProjectionsTopic(), 1,
        live.getDeadLetterTopic(), 1, live.getBeyondLatenessTopic(), 1));
    return live;
  }
}
