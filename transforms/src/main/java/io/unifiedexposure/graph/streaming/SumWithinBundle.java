package io.unifiedexposure.graph.streaming;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.rules.Contribution;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Sums the dedup's hand-ons per (merchant, currency, window) within a bundle, across every dedup
 * shard this worker runs, before they cross to the window stage. The dedup sums only within a
 * shard, and with many shards each shard sees a key a few times per interval: the window stage
 * then still took about one element per fact. The rule is {@link PendingSums}': exposure and fact
 * counts add, a sum is stamped with the earliest timestamp among its parts (so it is never later
 * than a fact it holds), and a sum of nothing is not handed on.
 *
 * <p>Holding elements to the end of a bundle is safe for the watermark on both runners: DirectRunner
 * commits a bundle's outputs before it moves the step's watermark, and FlinkRunner does not emit a
 * watermark while a bundle is open (it emits the held one as the bundle finishes). The live
 * launchers have FlinkRunner finish bundles before each checkpoint barrier, so nothing held is left
 * in a checkpoint, and close them within a quarter second, which bounds what this adds to a pane's
 * delay when traffic is light.
 */
final class SumWithinBundle extends DoFn<KV<ExposureKey, Contribution>, KV<ExposureKey, Contribution>> {
  /** Per (key, window): exposure, facts, earliest timestamp. */
  private transient Map<KV<ExposureKey, BoundedWindow>, long[]> sums;

  @StartBundle
  public void startBundle() {
    sums = new HashMap<>();
  }

  @ProcessElement
  public void process(
      @Element KV<ExposureKey, Contribution> element, @Timestamp Instant timestamp, BoundedWindow window) {
    sums.compute(
        KV.of(element.getKey(), window),
        (key, sum) -> PendingSums.plus(sum, element.getValue(), timestamp.getMillis()));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext out) {
    for (Map.Entry<KV<ExposureKey, BoundedWindow>, long[]> e : sums.entrySet()) {
      long[] sum = e.getValue();
      if (PendingSums.changesAnything(sum)) {
        out.output(KV.of(e.getKey().getKey(), PendingSums.contribution(sum)), new Instant(sum[2]), e.getKey().getValue());
      }
    }
    sums = null;
  }
}
