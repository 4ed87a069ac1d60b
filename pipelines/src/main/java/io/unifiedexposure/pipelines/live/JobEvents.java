package io.unifiedexposure.pipelines.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What changed in a running Flink job since the last look, as one line per event, from the JSON of
 * Flink's REST API: {@code /jobs/<id>/checkpoints} (a failed checkpoint and why, a restore from a
 * checkpoint) and {@code /jobs/<id>/exceptions} (a failure that made the job restart, with its cause).
 * Not thread-safe: one per watched job.
 */
final class JobEvents {
  private long failedCheckpoints;
  private long restored;
  private long completed;
  private long lastStateBytes;
  private long newestFailure;

  /** Lines for checkpoints that failed, and restores, since the last call. */
  List<String> checkpoints(JsonNode stats) {
    List<String> lines = new ArrayList<>();
    JsonNode counts = stats.path("counts");
    JsonNode latest = stats.path("latest");
    long failed = counts.path("failed").asLong();
    if (failed > failedCheckpoints) {
      JsonNode f = latest.path("failed");
      if (f.isMissingNode() || f.isNull()) {
        // Flink counts a checkpoint it could not start (tasks still starting or restarting) as
        // failed but keeps nothing about it.
        lines.add(String.format("a checkpoint could not be started (%d failed so far; Flink keeps no reason for"
            + " these, as when tasks are still starting); the next is tried at the interval", failed));
      } else {
        lines.add(String.format("checkpoint %d failed (%d failed so far): %s",
            f.path("id").asLong(), failed, firstLine(f.path("failure_message").asText("no reason given"))));
      }
      failedCheckpoints = failed;
    }
    long restores = counts.path("restored").asLong();
    if (restores > restored) {
      JsonNode r = latest.path("restored");
      lines.add(String.format("restored from %s %d",
          r.path("is_savepoint").asBoolean() ? "savepoint" : "checkpoint", r.path("id").asLong()));
      restored = restores;
    }
    completed = counts.path("completed").asLong();
    lastStateBytes = latest.path("completed").path("state_size").asLong(lastStateBytes);
    return lines;
  }

  /** Lines for failures (each made the job restart, or fail) newer than the last call's. */
  List<String> failures(JsonNode exceptions) {
    List<JsonNode> fresh = new ArrayList<>();
    long newest = newestFailure;
    for (JsonNode e : exceptions.path("exceptionHistory").path("entries")) {
      long at = e.path("timestamp").asLong();
      if (at > newestFailure) {
        fresh.add(0, e); // the history is newest first; report oldest first
        newest = Math.max(newest, at);
      }
    }
    newestFailure = newest;
    List<String> lines = new ArrayList<>();
    for (JsonNode e : fresh) {
      String task = e.path("taskName").asText("");
      lines.add("failure" + (task.isEmpty() || task.equals("null") ? "" : " in " + task) + ": "
          + firstLine(e.path("stacktrace").asText(e.path("exceptionName").asText("unknown"))));
    }
    return lines;
  }

  /** A summary line for a heartbeat: checkpoints so far and the newest one's state size. */
  String summary() {
    return String.format("%d checkpoints completed (newest holds %,d bytes of state), %d failed",
        completed, lastStateBytes, failedCheckpoints);
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
