package io.unifiedexposure.tools.bench;

import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.JobMetrics;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import io.unifiedexposure.pipelines.replay.ReadArchive;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * The least a replay can cost on a runner: the replay's own archive reader and the contract's
 * decoder, each record counted, nothing else (no dedup, windows, aggregation or output). No graph
 * after the decode can make a replay faster than this on the same runner and data, so the bench
 * prints it beside the replay: it tells how much of a replay's time is the graph and how much is
 * reading and decoding through Beam.
 *
 * <pre>
 *   ReadArchive ─ rows ─ DecodeAndCount
 * </pre>
 */
final class ReplayFloor {
  private static final String NAMESPACE = "bench";
  private static final String DECODED = "floor_records_decoded";

  private ReplayFloor() {}

  /** Runs the floor job over {@code options}' archive, blocking; returns how many records it decoded. */
  static long run(ReplayOptions options) {
    Pipeline p = Pipeline.create(options);
    p.apply("ReadArchive", new ReadArchive(options.getArchive(), BackfillRange.all()))
        .apply("DecodeAndCount", ParDo.of(new DecodeAndCount()));
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the floor job ended " + state);
    }
    return JobMetrics.counters(result, NAMESPACE).getOrDefault(DECODED, 0L);
  }

  /** Decodes and validates each record with the contract's decoder (what the graph does first). */
  static final class DecodeAndCount extends DoFn<RawRecord, Void> {
    private final Counter decoded = Metrics.counter(NAMESPACE, DECODED);
    private transient EventDecoder decoder;

    @Setup
    public void setup() {
      decoder = EventDecoder.current();
    }

    @ProcessElement
    public void process(@Element RawRecord raw) {
      decoder.decode(raw);
      decoded.inc();
    }
  }
}
