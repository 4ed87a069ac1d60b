package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {
  @TempDir Path dir;

  @Test
  void propertiesFileThenFlagsPassThroughAndSecretsAreRedacted() throws Exception {
    Path props = dir.resolve("kafka.properties");
    Files.writeString(props, String.join("\n",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2-secret\";",
        "ssl.truststore.password=trust-me-secret",
        "max.poll.records=10"));
    KafkaOptions o = PipelineOptionsFactory.fromArgs(
        "--kafkaProperties=" + props, "--kafkaConfig=max.poll.records=500", "--kafkaConfig=client.id=exposure")
        .as(KafkaOptions.class);
    Map<String, Object> config = KafkaSettings.clientConfig(o);
    assertEquals("SASL_SSL", config.get("security.protocol"));
    assertEquals("500", config.get("max.poll.records"), "flags override the file");
    assertEquals("exposure", config.get("client.id"));
    assertTrue(config.get("sasl.jaas.config").toString().contains("hunter2-secret"), "passed through untouched");

    String printed = KafkaSettings.redacted(config).toString();
    assertFalse(printed.contains("hunter2-secret"), printed);
    assertFalse(printed.contains("trust-me-secret"), printed);
    assertTrue(printed.contains("security.protocol=SASL_SSL"), printed);
  }

  @Test
  void malformedSettingsSayWhatIsWrongWithoutEchoingValues() {
    KafkaOptions bad = PipelineOptionsFactory.fromArgs("--kafkaConfig=passwordhunter2-secret").as(KafkaOptions.class);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaSettings.clientConfig(bad));
    assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2-secret"), e.getMessage());
    KafkaOptions missing = PipelineOptionsFactory.fromArgs("--kafkaProperties=" + dir.resolve("nope")).as(KafkaOptions.class);
    assertThrows(IllegalArgumentException.class, () -> KafkaSettings.clientConfig(missing));
    assertEquals(List.of(), List.of());
  }
}
