package io.unifiedexposure.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How operators watch a run. */
public interface MonitoringOptions extends PipelineOptions {
  @Description("FlinkRunner on the in-process cluster (--flinkMaster=[local]): serve every graph counter to "
      + "Prometheus on this port (http://<host>:<port>/metrics). On a cluster, configure Flink's Prometheus "
      + "reporter in the cluster's flink-conf.yaml instead (README, Operations).")
  Integer getPrometheusPort();

  void setPrometheusPort(Integer value);

  @Description("For schedulers and scripts: no start line, progress or heartbeat on the console; a command's "
      + "summary, failures (one line each) and exit code stay.")
  @Default.Boolean(false)
  boolean getQuiet();

  void setQuiet(boolean value);

  @Description("A replay or backfill prints its progress this often: rows read of the archive's total, "
      + "elapsed time, rate (ISO-8601; PT0S: none).")
  @Default.String("PT5S")
  String getProgressInterval();

  void setProgressInterval(String value);
}
