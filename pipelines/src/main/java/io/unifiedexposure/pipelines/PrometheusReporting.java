package io.unifiedexposure.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --prometheusPort}: the in-process Flink cluster started with Flink's Prometheus reporter
 * ({@code flink-metrics-prometheus}, in the production jar) on that port. FlinkRunner reads Flink
 * settings only from a configuration directory, so the run gets one of its own: the files of the
 * given {@code --flinkConfDir} (if any) with the reporter's two entries added, in the JVM's
 * temporary directory (which {@code ./exposure} removes after the run).
 *
 * <p>Every Beam counter of the graph becomes a Flink counter, exported as {@code
 * flink_taskmanager_job_task_operator_exposure_<name>} per operator instance. Beam's distributions
 * are not numbers to the reporter (it exports them as 0): the graph also counts each one's sum and
 * count ({@code on_time_pane_delay_ms_sum}, {@code _count}).
 */
final class PrometheusReporting {
  private static final List<String> CONF_FILES = List.of("flink-conf.yaml", "config.yaml");

  private PrometheusReporting() {}

  static void apply(PipelineOptions options) {
    Integer port = options.as(MonitoringOptions.class).getPrometheusPort();
    if (port == null) {
      return;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--prometheusPort=" + port + " is not a port (1-65535)");
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    if (!RunnerDefaults.isFlink(options) || (master != null && !master.startsWith("["))) {
      throw new IllegalArgumentException("--prometheusPort=" + port + " configures the in-process Flink cluster"
          + " (--runner=FlinkRunner --flinkMaster=[local]); on a cluster, set Flink's Prometheus reporter in its"
          + " flink-conf.yaml (README, Operations)");
    }
    try {
      Path dir = Files.createTempDirectory("exposure-flink-conf");
      String given = flink.getFlinkConfDir();
      StringBuilder conf = new StringBuilder();
      if (given != null) {
        for (String name : CONF_FILES) {
          Path file = Path.of(given, name);
          if (Files.isRegularFile(file)) {
            conf.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
          }
        }
      }
      conf.append("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory\n")
          .append("metrics.reporter.prom.port: ").append(port).append('\n');
      Files.writeString(dir.resolve("flink-conf.yaml"), conf.toString(), StandardCharsets.UTF_8);
      dir.resolve("flink-conf.yaml").toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      flink.setFlinkConfDir(dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration for --prometheusPort", e);
    }
  }
}
