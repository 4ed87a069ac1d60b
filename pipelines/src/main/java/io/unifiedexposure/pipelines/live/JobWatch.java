package io.unifiedexposure.pipelines.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unifiedexposure.pipelines.FlinkRestMetrics;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Says on the console what a running job's Flink would otherwise only log: every failed
 * checkpoint and every failure that restarted the job, one line each with the cause, a restore, and
 * a heartbeat each minute. Registered as a Flink job listener by the client's Flink configuration
 * ({@code execution.job-listeners: io.unifiedexposure.pipelines.live.JobWatch}, as in
 * {@code runners-config/flink/flink-conf.yaml}); reads the job's REST API (the in-process mini
 * cluster's or the cluster's) from a daemon thread until the job ends.
 */
public final class JobWatch implements JobListener {
  private static final long POLL_MILLIS = 2_000;
  private static final long HEARTBEAT_MILLIS = 60_000;

  @Override
  public void onJobSubmitted(@Nullable JobClient client, @Nullable Throwable failure) {
    if (client == null) {
      return;
    }
    URI rest = restAddress(client);
    Thread watch = new Thread(() -> watch(client, rest, System.out), "exposure-job-watch");
    watch.setDaemon(true);
    watch.start();
  }

  @Override
  public void onJobExecuted(@Nullable JobExecutionResult result, @Nullable Throwable failure) {}

  private static void watch(JobClient client, @Nullable URI rest, PrintStream out) {
    String prefix = "exposure: ";
    JobEvents events = new JobEvents();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ObjectMapper json = new ObjectMapper();
    // The job's pipeline options are its user configuration: --quiet leaves failures and restores only.
    String job = rest == null ? null : rest.toString().replaceAll("/+$", "") + "/jobs/" + client.getJobID();
    boolean quiet = job != null && FlinkRestMetrics.read(http, json, job + "/config")
        .path("execution-config").path("user-config").path("quiet").asBoolean(false);
    if (!quiet) {
      out.println(prefix + "job " + client.getJobID() + " submitted"
          + (rest == null ? "" : "; Flink's web UI and REST API at " + rest));
    }
    JobStatus last = null;
    long nextHeartbeat = System.currentTimeMillis() + HEARTBEAT_MILLIS;
    while (true) {
      JobStatus status;
      try {
        status = client.getJobStatus().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        return; // the job and its cluster are gone
      }
      if (job != null) {
        print(out, prefix, events.failures(FlinkRestMetrics.read(http, json, job + "/exceptions?maxExceptions=20")));
        print(out, prefix, events.checkpoints(FlinkRestMetrics.read(http, json, job + "/checkpoints")));
      }
      if (status != last && (last != null || status != JobStatus.RUNNING) && (!quiet || troubled(status))) {
        out.println(prefix + "job " + status);
      }
      last = status;
      if (status.isGloballyTerminalState()) {
        return;
      }
      if (System.currentTimeMillis() >= nextHeartbeat) {
        nextHeartbeat += HEARTBEAT_MILLIS;
        if (!quiet) {
          out.println(prefix + "job " + status + "; " + events.summary());
        }
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A state a quiet watch still reports: the job is failing, restarting, or ended other than finished. */
  private static boolean troubled(JobStatus status) {
    return status == JobStatus.FAILING || status == JobStatus.RESTARTING
        || (status.isGloballyTerminalState() && status != JobStatus.FINISHED);
  }

  private static void print(PrintStream out, String prefix, List<String> lines) {
    lines.forEach(l -> out.println(prefix + l));
  }

  /**
   * The REST address behind a job client: the in-process mini cluster's, or the remote cluster's.
   * Flink's job clients do not expose it, so it is read from the two implementations Flink 1.19 has;
   * null (a watch of the job's state only) when neither fits.
   */
  static @Nullable URI restAddress(JobClient client) {
    try {
      Object miniCluster = field(client, "miniCluster");
      if (miniCluster != null) {
        Method address = miniCluster.getClass().getMethod("getRestAddress");
        return (URI) ((java.util.concurrent.CompletableFuture<?>) address.invoke(miniCluster)).get(10, TimeUnit.SECONDS);
      }
      Object provider = field(client, "clusterClientProvider");
      if (provider != null) {
        Object clusterClient = provider.getClass().getMethod("getClusterClient").invoke(provider);
        return URI.create((String) clusterClient.getClass().getMethod("getWebInterfaceURL").invoke(clusterClient));
      }
    } catch (Exception | LinkageError e) {
      return null;
    }
    return null;
  }

  private static @Nullable Object field(Object o, String name) throws IllegalAccessException {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    return null;
  }
}
