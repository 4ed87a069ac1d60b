package io.unifiedexposure.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A running Flink job's Beam counters and watermark, read from Flink's REST API. FlinkRunner's job
 * result answers only once the job has ended (an attached run returns then), so a launcher that
 * reports progress while the job runs reads what Flink shows: every Beam counter is a Flink
 * operator metric named {@code <operator>.<namespace>_<name>}, summed here over operators and
 * subtasks.
 *
 * <p>The job is found by its name ({@code --jobName}, unique per run by Beam's default) at the REST
 * address of {@code --flinkMaster=host:port}, or, for the in-process cluster, at the ports its
 * {@code --flinkConfDir} gives ({@code rest.bind-port}, e.g. {@code 8081-8099}). Anything that
 * cannot be read reads as nothing: progress is a courtesy, never a reason to fail a job.
 */
public final class FlinkRestMetrics {
  private static final Pattern PORTS = Pattern.compile("^\\s*rest\\.(?:bind-)?port\\s*:\\s*(\\d+)(?:\\s*-\\s*(\\d+))?");
  private static final int MAX_PORTS = 64;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String job;
  private @Nullable List<String> vertices;

  private FlinkRestMetrics(String jobUrl) {
    this.job = jobUrl;
  }

  /** The job named {@code options.getJobName()} where these options run it, if it can be seen now. */
  public static Optional<FlinkRestMetrics> find(FlinkPipelineOptions options) {
    FlinkRestMetrics probe = new FlinkRestMetrics("");
    for (URI rest : candidates(options)) {
      JsonNode jobs = probe.get(rest.toString() + "/jobs/overview").path("jobs");
      for (JsonNode j : jobs) {
        if (options.getJobName().equals(j.path("name").asText())) {
          return Optional.of(new FlinkRestMetrics(rest + "/jobs/" + j.path("jid").asText()));
        }
      }
    }
    return Optional.empty();
  }

  /** Where the job's REST API may be: the cluster's, or the in-process cluster's configured ports. */
  static List<URI> candidates(FlinkPipelineOptions options) {
    String master = options.getFlinkMaster();
    List<URI> out = new ArrayList<>();
    if (master != null && !master.startsWith("[")) {
      out.add(URI.create((master.contains("://") ? "" : "http://") + master.replaceAll("/+$", "")));
      return out;
    }
    for (int port : localPorts(options.getFlinkConfDir())) {
      out.add(URI.create("http://localhost:" + port));
    }
    return out;
  }

  /** The ports of {@code rest.bind-port} (or {@code rest.port}) in a Flink configuration directory. */
  static List<Integer> localPorts(@Nullable String confDir) {
    List<Integer> ports = new ArrayList<>();
    if (confDir == null) {
      return ports;
    }
    for (String name : List.of("flink-conf.yaml", "config.yaml")) {
      try {
        for (String line : Files.readAllLines(Path.of(confDir, name), StandardCharsets.UTF_8)) {
          Matcher m = PORTS.matcher(line);
          if (m.find()) {
            ports.clear(); // the last entry wins, as in Flink's own reading
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            for (int p = from; p <= to && ports.size() < MAX_PORTS; p++) {
              ports.add(p);
            }
          }
        }
      } catch (java.io.IOException | RuntimeException absent) {
        // no such file: the other name, or no ports
      }
    }
    return ports;
  }

  /** Every counter of {@code namespace}, by name (dots in a name read as underscores), summed. */
  public Map<String, Long> counters(String namespace) {
    Map<String, Long> out = new TreeMap<>();
    String marker = "." + namespace + "_";
    for (String vertex : vertices()) {
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get(vertex + "/subtasks/metrics")) {
        String id = m.path("id").asText();
        if (id.contains(marker)) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode m : get(vertex + "/subtasks/metrics?agg=sum&get=" + query)) {
        String id = m.path("id").asText();
        String name = id.substring(id.lastIndexOf(marker) + marker.length());
        out.merge(name, (long) m.path("sum").asDouble(), Long::sum);
      }
    }
    return out;
  }

  /**
   * The job's event-time progress: the lowest input watermark of its operators that have one
   * (Flink reports {@code Long.MIN_VALUE} before the first); empty when none has moved yet.
   */
  public OptionalLong watermark() {
    long lowest = Long.MAX_VALUE;
    for (String vertex : vertices()) {
      for (JsonNode w : get(vertex + "/watermarks")) {
        long value = w.path("value").asLong(Long.MIN_VALUE);
        if (value > Long.MIN_VALUE && value < lowest) {
          lowest = value;
        }
      }
    }
    return lowest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(lowest);
  }

  private List<String> vertices() {
    if (vertices == null || vertices.isEmpty()) {
      List<String> found = new ArrayList<>();
      for (JsonNode v : get(job).path("vertices")) {
        found.add(job + "/vertices/" + v.path("id").asText());
      }
      vertices = found;
    }
    return vertices;
  }

  private JsonNode get(String url) {
    return read(http, json, url);
  }

  /** The JSON at a REST {@code url}, or an empty node when it cannot be read now (JobWatch reads the same). */
  public static JsonNode read(HttpClient http, ObjectMapper json, String url) {
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? json.readTree(r.body()) : json.createObjectNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return json.createObjectNode();
    } catch (Exception e) {
      return json.createObjectNode();
    }
  }
}
