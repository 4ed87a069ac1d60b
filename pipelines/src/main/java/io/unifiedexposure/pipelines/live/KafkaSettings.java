package io.unifiedexposure.pipelines.live;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kafka client settings from {@link KafkaOptions}: the properties file first, then each
 * {@code --kafkaConfig=key=value}. {@link #redacted} is the only form that may be printed.
 */
public final class KafkaSettings {
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|jaas|token|credential|key\\b|keystore\\.key|private).*");

  private KafkaSettings() {}

  public static Map<String, Object> clientConfig(KafkaOptions options) {
    Map<String, Object> config = new TreeMap<>();
    if (options.getKafkaProperties() != null) {
      Properties props = new Properties();
      Path file = Path.of(options.getKafkaProperties());
      try (Reader in = Files.newBufferedReader(file)) {
        props.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--kafkaProperties=" + file + " cannot be read: " + e.getMessage(), e);
      }
      props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
    }
    List<String> pairs = options.getKafkaConfig() == null ? Collections.emptyList() : options.getKafkaConfig();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--kafkaConfig expects key=value, got '" + redactValue(pair) + "'");
      }
      config.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
    }
    return config;
  }

  /** The settings with every value of a secret-looking key replaced by {@code ****}. */
  public static Map<String, String> redacted(Map<String, Object> config) {
    Map<String, String> out = new TreeMap<>();
    config.forEach((k, v) -> out.put(k, SECRET.matcher(k).matches() ? "****" : String.valueOf(v)));
    return out;
  }

  private static String redactValue(String pair) {
    return pair.length() > 12 ? pair.substring(0, 12) + "…" : pair;
  }
}
