package io.unifiedexposure.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How operators watch a run. */
public interface MonitoringOptions extends PipelineOptions {
  @Description("FlinkRunner on the in-process cluster (--flinkMaster=[local]): serve every graph counter to "
      + "Prometheus on this port (http://<host>:<port>/metrics). On a cluster, configure Flink's Prometheus "
      + "reporter in the cluster's flink-conf.yaml instead (README, Operations).")
  Integer getPrometheusPort();

  void setPrometheusPort(Integer value);
}
