package io.unifiedexposure.tools.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.live.LiveExposure;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.testing.EmbeddedKafka;
import io.unifiedexposure.tools.demo.DemoStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --prometheusPort}: a live job on the in-process Flink cluster serves the graph's counters
 * to a Prometheus scrape while it runs: the books (records in, facts counted, dead letters, beyond
 * lateness) with non-zero values, and the pane latencies as sums and counts.
 */
class PrometheusSpec {
  private static final String PREFIX = "flink_taskmanager_job_task_operator_exposure_";
  @TempDir Path dir;

  @Test
  void aScrapeDuringALiveRunFindsTheBooksAndThePaneLatencies() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      LiveOptions live = Main.options(new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=1",
          "--prometheusPort=" + port, "--archive=" + dir.resolve("prom-archive")}, LiveOptions.class);
      OnBroker.configure(live, "prom", kafka, dir, 1);
      DemoStream stream = new DemoStream(live.getInputTopic(), 3, 400, 2, 8, ExposureGraph.fromOptions(live).grid());
      stream.produce(kafka.bootstrapServers());
      PipelineResult job = LiveExposure.create(live).run();
      try {
        List<String> wanted = List.of("records_in", "facts_counted", "dead_letters", "beyond_lateness",
            "on_time_pane_delay_ms_sum", "on_time_pane_delay_ms_count");
        String missing = "";
        boolean beyondSent = false;
        long deadline = System.currentTimeMillis() + 150_000;
        while (System.currentTimeMillis() < deadline) {
          String scrape = scrape(port);
          missing = "";
          for (String name : wanted) {
            if (sum(scrape, name) <= 0) {
              missing += " " + name;
            }
          }
          if (missing.isEmpty()) {
            break;
          }
          if (!beyondSent && sum(scrape, "records_in") >= stream.records.size()
              && sum(scrape, "final_pane_delay_ms_count") > 0) {
            // Everything read and a window closed (2025-07-01's is the first to): the windows' input
            // watermark, and so the dedup's, is past that window's expiry, so the capture for it is
            // beyond lateness. Records read alone did not say so: the watermark trails the reads.
            stream.produceBeyondLateness(kafka.bootstrapServers());
            beyondSent = true;
          }
          Thread.sleep(1000);
        }
        assertTrue(missing.isEmpty(), "not in the scrape (or zero):" + missing);
      } finally {
        job.cancel();
      }
    }
  }

  /** The metric summed over the operator instances that export it; 0 when none does (or no answer yet). */
  private static double sum(String scrape, String name) {
    Matcher m = Pattern.compile("(?m)^" + PREFIX + name + "\\{[^}]*\\} (\\S+)$").matcher(scrape);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  private static String scrape(int port) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (Exception notUpYet) {
      return "";
    }
  }
}
