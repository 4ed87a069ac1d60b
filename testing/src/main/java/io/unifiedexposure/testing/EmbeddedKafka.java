package io.unifiedexposure.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka 3.9 broker in this JVM, KRaft mode (combined broker and controller), on a free
 * loopback port, storing its log under a directory of the caller's. Ready in a few seconds.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final Properties config;
  private final String bootstrapServers;
  private KafkaRaftServer server;

  private EmbeddedKafka(Properties config, String bootstrapServers) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats {@code logDir} and starts a broker on it. */
  public static EmbeddedKafka start(Path logDir) throws IOException {
    Files.createDirectories(logDir);
    int port = freePort();
    int controllerPort = freePort();
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toAbsolutePath().toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "true");
    props.put("num.partitions", "1");
    Path config = logDir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(config)) {
      props.store(w, "embedded broker");
    }
    String[] format = {
      "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"
    };
    int rc = StorageTool.execute(format, new PrintStream(OutputStream.nullOutputStream()));
    if (rc != 0) {
      throw new IOException("formatting the embedded broker's log dir " + logDir + " failed (" + rc + ")");
    }
    EmbeddedKafka kafka = new EmbeddedKafka(props, "127.0.0.1:" + port);
    kafka.startServer();
    return kafka;
  }

  private void startServer() {
    server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
    server.startup();
  }

  /**
   * Stops the broker, as an outage would: its clients see connections refused until {@link
   * #restart}. What it has stored stays in its log directory.
   */
  public void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** Starts the stopped broker again on the same ports and log directory. */
  public void restart() {
    if (server == null) {
      startServer();
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates topics (name → partitions), waiting until the broker serves every partition: the
   * controller acknowledges a new topic before the broker has taken up leadership of its
   * partitions, and a producer's first batch sent in between is refused.
   */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    List<NewTopic> topics = new ArrayList<>();
    partitionsByTopic.forEach((name, n) -> topics.add(new NewTopic(name, n, (short) 1)));
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 60_000;
      while (!everyPartitionLed(admin, partitionsByTopic)) {
        if (System.currentTimeMillis() > deadline) {
          throw new java.util.concurrent.TimeoutException("partitions still without a leader after 60 s");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot create topics " + partitionsByTopic.keySet() + ": " + e, e);
    }
  }

  /** Whether the broker's metadata has every expected partition of these topics, each with a leader. */
  private static boolean everyPartitionLed(Admin admin, Map<String, Integer> partitionsByTopic)
      throws InterruptedException {
    try {
      Map<String, TopicDescription> described =
          admin.describeTopics(partitionsByTopic.keySet()).allTopicNames().get(10, TimeUnit.SECONDS);
      return partitionsByTopic.entrySet().stream().allMatch(e -> {
        TopicDescription d = described.get(e.getKey());
        return d != null && d.partitions().size() == e.getValue()
            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
      });
    } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
      return false;
    }
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
