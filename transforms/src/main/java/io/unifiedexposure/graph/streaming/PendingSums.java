package io.unifiedexposure.graph.streaming;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.rules.Contribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The dedup's contributions not yet handed to the windows, summed per (merchant, currency, window
 * start): exposure, facts and the earliest event time among them. A sum is handed on stamped with
 * that earliest event time, so it falls in its window and is never later than a fact it holds.
 */
final class PendingSums {
  /** (key, window start in epoch ms). */
  static final KvCoder<ExposureKey, Long> KEY_CODER = KvCoder.of(ExposureKey.coder(), VarLongCoder.of());

  private PendingSums() {}

  /**
   * The rule of a sum: {@code sum} (or nothing) plus a contribution at {@code ts}, as a new array
   * (exposure, facts, earliest time); a state value is never changed in place.
   */
  static long[] plus(@Nullable long[] sum, Contribution c, long ts) {
    return sum == null
        ? new long[] {c.exposureMinor(), c.eventCount(), ts}
        : new long[] {sum[0] + c.exposureMinor(), sum[1] + c.eventCount(), Math.min(sum[2], ts)};
  }

  /** Whether a sum changes a window: a fact counted and withdrawn within one sum does not. */
  static boolean changesAnything(long[] sum) {
    return sum[0] != 0 || sum[1] != 0;
  }

  /** A sum as what it adds to its window. */
  static Contribution contribution(long[] sum) {
    return Contribution.of(sum[0], sum[1]);
  }

  /**
   * Hands every pending sum on and forgets them. A sum of nothing (a fact counted and withdrawn
   * within one interval) is not handed on: it would change no window.
   */
  static void handOn(
      MapState<KV<ExposureKey, Long>, long[]> pending, DoFn.OutputReceiver<KV<ExposureKey, Contribution>> out) {
    for (Map.Entry<KV<ExposureKey, Long>, long[]> e : pending.entries().read()) {
      long[] sum = e.getValue();
      if (changesAnything(sum)) {
        out.outputWithTimestamp(KV.of(e.getKey().getKey(), contribution(sum)), new Instant(sum[2]));
      }
    }
    pending.clear();
  }

  /** A few longs, counted: a pending sum (exposure, facts, earliest event time) or the hand-on state. */
  static final class Coder extends AtomicCoder<long[]> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(long[] v, OutputStream out) throws IOException {
      VarIntCoder.of().encode(v.length, out);
      for (long x : v) {
        VarLongCoder.of().encode(x, out);
      }
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      long[] v = new long[VarIntCoder.of().decode(in)];
      for (int i = 0; i < v.length; i++) {
        v[i] = VarLongCoder.of().decode(in);
      }
      return v;
    }
  }
}
