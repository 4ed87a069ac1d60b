package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.graph.IsoDurations;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.joda.time.Duration;

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

  /**
   * Checks, within {@code --brokerTimeout}, that the broker answers and holds {@code topic}, so a
   * command fails at once with one line instead of after its clients' own timeouts with a stack
   * trace. Throws {@link IllegalStateException} naming the servers, the flag and the cause.
   */
  public static void checkReachable(KafkaOptions options, String topic) {
    Duration timeout = IsoDurations.positive("brokerTimeout", options.getBrokerTimeout());
    Map<String, Object> config = adminConfig(options);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.getMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    Admin admin = Admin.create(config);
    try {
      admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.getMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable(options);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException("topic '" + topic + "' does not exist on " + options.getBootstrapServers());
      }
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(options);
      }
      throw new IllegalStateException("cannot use the Kafka broker at " + options.getBootstrapServers() + ": "
          + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reaching the Kafka broker");
    } finally {
      admin.close(java.time.Duration.ofSeconds(1));
    }
  }

  /**
   * Makes sure a reference data topic exists: when the broker does not hold it, creates it compacted
   * (one partition, replicated up to three times), so a job can start before the first rate is
   * published. Returns the line to print when it created it, or null. Throws {@link
   * IllegalStateException} naming the topic when it is neither there nor creatable (e.g. no ACL).
   */
  public static String ensureCompactedTopic(KafkaOptions options, String topic) {
    return ensureCompactedTopic(options, topic, "FX rate");
  }

  /** As {@link #ensureCompactedTopic(KafkaOptions, String)}, for reference data of another kind ({@code what}). */
  public static String ensureCompactedTopic(KafkaOptions options, String topic, String what) {
    return ensureTopic(options, topic, java.util.Optional.of(1), true, "compacted, 1 partition): no " + what + " in it yet");
  }

  /**
   * Makes sure each of a live job's output topics exists before the job writes to it, so a broker
   * with {@code auto.create.topics.enable=false} does not fail the job at its first write, and a
   * topic that never received a record (no fact beyond lateness, say) is there, empty, for
   * reconcile and explain to read. Upsert topics (one row per key wanted) are created compacted;
   * the others with the broker's defaults. Returns the lines to print, one per topic created.
   */
  public static List<String> ensureOutputTopics(KafkaOptions options, Map<String, Boolean> compactedByTopic) {
    List<String> created = new java.util.ArrayList<>();
    compactedByTopic.forEach((topic, compacted) -> {
      String line = ensureTopic(options, topic, java.util.Optional.empty(), compacted, compacted ? "compacted, broker's partitions)" : "broker's defaults)");
      if (line != null) {
        created.add(line);
      }
    });
    return created;
  }

  private static String ensureTopic(
      KafkaOptions options, String topic, java.util.Optional<Integer> partitions, boolean compacted, String saying) {
    try {
      checkReachable(options, topic);
      return null;
    } catch (IllegalStateException missing) {
      if (!missing.getMessage().startsWith("topic '")) {
        throw missing;
      }
    }
    Duration timeout = IsoDurations.positive("brokerTimeout", options.getBrokerTimeout());
    try (Admin admin = Admin.create(adminConfig(options))) {
      int brokers = admin.describeCluster().nodes().get(timeout.getMillis(), TimeUnit.MILLISECONDS).size();
      short replicas = (short) Math.max(1, Math.min(3, brokers));
      NewTopic created = new NewTopic(topic, partitions, java.util.Optional.of(replicas));
      if (compacted) {
        created = created.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      admin.createTopics(List.of(created)).all().get(timeout.getMillis(), TimeUnit.MILLISECONDS);
      return "created topic '" + topic + "' (" + saying;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
        return null;
      }
      throw new IllegalStateException("topic '" + topic + "' does not exist on " + options.getBootstrapServers()
          + " and cannot be created: " + (e.getCause() == null ? e : e.getCause()).getMessage());
    } catch (TimeoutException e) {
      throw unreachable(options);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic '" + topic + "'");
    }
  }

  private static IllegalStateException unreachable(KafkaOptions options) {
    return new IllegalStateException("cannot reach the Kafka broker at " + options.getBootstrapServers()
        + " within " + options.getBrokerTimeout() + " (--brokerTimeout)");
  }

  /** An admin client's settings: the client settings (security included) and the bootstrap servers. */
  public static Map<String, Object> adminConfig(KafkaOptions options) {
    Map<String, Object> config = new TreeMap<>(clientConfig(options));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    return config;
  }
}
