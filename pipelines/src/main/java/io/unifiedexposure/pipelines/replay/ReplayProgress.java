package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.pipelines.FollowedJob;
import io.unifiedexposure.pipelines.storage.BeamInputFile;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Runs a replay while printing its progress every interval: {@code exposure replay: 1,234,567 of
 * 5,000,000 rows read (24.7%), 12 s, 102,880 rows/s}. The total is the rows the archive's files
 * hold by their footers (counted beside the job, so a large listing never delays it); the rows read
 * are the reader's {@code replay/rows_read} counter, from the job's result (DirectRunner, which the
 * launchers run without blocking) or from Flink's REST API ({@link FlinkRestMetrics}). Once every
 * row is read the line says the windows are being summed and written.
 */
final class ReplayProgress {
  private final PrintStream out;
  private final Duration every;
  private final CompletableFuture<Long> totalRows;

  ReplayProgress(String pattern, BackfillRange range, Duration every, PrintStream out) {
    this.out = out;
    this.every = every;
    this.totalRows = CompletableFuture.supplyAsync(() -> footerRows(pattern, range), daemon("exposure-replay-footers"));
  }

  /** Runs the pipeline and waits for it, printing progress; returns its result (terminal). */
  PipelineResult run(Pipeline pipeline, PipelineOptions options) {
    long started = System.nanoTime();
    FollowedJob job = FollowedJob.start(pipeline, options);
    long previousRows = 0;
    long previousNanos = started;
    while (true) {
      PipelineResult ended = job.awaitEnd(every);
      if (ended != null) {
        return ended;
      }
      long now = System.nanoTime();
      long rows = job.counters(ArchiveReader.NAMESPACE).getOrDefault(ArchiveReader.ROWS_READ, 0L);
      out.println(line(rows, totalRows.getNow(null), (now - started) / 1e9,
          (rows - previousRows) / Math.max((now - previousNanos) / 1e9, 0.001)));
      previousRows = rows;
      previousNanos = now;
    }
  }

  /** Runs the task on a thread of its own that does not keep the JVM alive. */
  private static Executor daemon(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      t.start();
    };
  }

  /**
   * {@code exposure replay: 1,234,567 of 5,000,000 rows read (24.7%), 12 s, 102,880 rows/s}; without
   * the total while the footers are still being counted.
   */
  static String line(long rows, @Nullable Long total, double seconds, double rate) {
    StringBuilder b = new StringBuilder("exposure replay: ");
    b.append(String.format("%,d", rows));
    if (total != null && total > 0) {
      b.append(String.format(" of %,d", total));
    }
    b.append(" rows read");
    if (total != null && total > 0) {
      b.append(String.format(" (%.1f%%)", 100.0 * Math.min(rows, total) / total));
    }
    b.append(String.format(", %.0f s", seconds));
    if (total != null && total > 0 && rows >= total) {
      b.append("; summing and writing the windows");
    } else {
      b.append(String.format(", %,.0f rows/s", rate));
    }
    return b.toString();
  }

  /**
   * The rows the archive's files hold by their footers, without files a {@code dt=} folder puts
   * outside the range; a file whose footer cannot be read adds nothing (the replay dead-letters it).
   */
  static Long footerRows(String pattern, BackfillRange range) {
    long rows = 0;
    try {
      for (MatchResult.Metadata file : ArchiveSource.selectedFiles(pattern, range)) {
        try (ParquetFileReader footer = ParquetFileReader.open(new BeamInputFile(file))) {
          rows += footer.getRecordCount();
        } catch (IOException | RuntimeException unreadable) {
          // counted by the replay as a file.unreadable dead letter
        }
      }
    } catch (IOException | RuntimeException unlisted) {
      return null;
    }
    return rows;
  }
}
