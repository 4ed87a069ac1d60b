package io.unifiedexposure.pipelines.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Gathers a bundle's records for the archive per event date into batches of at most {@value
 * #MAX_BATCH}, so the archive's grouping stage takes one element per batch instead of one per row
 * (its per-element trigger and state work was the largest cost of the live job's archive).
 *
 * <p>Safe to hold rows until the bundle ends: the archive is in the global window, where no
 * watermark makes an element late, and the runners finish a bundle at a checkpoint, so a row is
 * either in a batch the checkpoint holds or read again after a restore. (The live job on FlinkRunner
 * finishes bundles before the checkpoint's barrier, {@code RunnerDefaults}: a batch emitted inside
 * the checkpoint would otherwise wait for the operator's next record.)
 */
final class BatchRowsPerDate<T> extends DoFn<KV<String, T>, KV<String, List<T>>> {
  static final int MAX_BATCH = 1_000;

  private transient Map<String, Batch<T>> batches;

  private static final class Batch<T> {
    final List<T> rows = new ArrayList<>();
    Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;
  }

  @StartBundle
  public void start() {
    batches = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element KV<String, T> row,
      @Timestamp Instant at,
      OutputReceiver<KV<String, List<T>>> out) {
    Batch<T> b = batches.computeIfAbsent(row.getKey(), d -> new Batch<>());
    b.rows.add(row.getValue());
    if (at.isBefore(b.earliest)) {
      b.earliest = at;
    }
    if (b.rows.size() >= MAX_BATCH) {
      batches.remove(row.getKey());
      out.outputWithTimestamp(KV.of(row.getKey(), b.rows), b.earliest);
    }
  }

  @FinishBundle
  public void finish(FinishBundleContext context) {
    for (Map.Entry<String, Batch<T>> e : batches.entrySet()) {
      context.output(KV.of(e.getKey(), e.getValue().rows), e.getValue().earliest, GlobalWindow.INSTANCE);
    }
    batches.clear();
  }

  /** Rows are stamped with event times from anywhere in the archive's days. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
