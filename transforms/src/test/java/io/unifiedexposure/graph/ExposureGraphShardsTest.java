package io.unifiedexposure.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.RawRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CrashingRunner;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;

/** Streaming input keeps the configured dedup shards; bounded input gets at least 16. */
class ExposureGraphShardsTest {
  /** Only built, never run: this module has no runner. */
  private final Pipeline p = Pipeline.create(options());

  private static PipelineOptions options() {
    PipelineOptions o = PipelineOptionsFactory.create();
    o.setRunner(CrashingRunner.class);
    return o;
  }

  @Test
  void boundedInputSpreadsDedupOverSixteenShards() {
    PCollection<RawRecord> bounded = p.apply(Create.empty(RawRecord.coder()));
    assertEquals(16, ExposureGraph.create().withDedupShards(1).shardsFor(bounded));
    assertEquals(16, ExposureGraph.create().shardsFor(bounded));
    assertEquals(16, ExposureGraph.create().withDedupShards(256).shardsFor(bounded));
  }

  @Test
  void unboundedInputKeepsTheConfiguredShards() {
    PCollection<RawRecord> unbounded = p.apply(GenerateSequence.from(0))
        .apply(MapElements.into(TypeDescriptor.of(RawRecord.class))
            .via(i -> RawRecord.of(new byte[0], "seq:" + i, i)))
        .setCoder(RawRecord.coder());
    assertEquals(ExposureGraph.DEFAULT_DEDUP_SHARDS, ExposureGraph.create().shardsFor(unbounded));
    assertEquals(4, ExposureGraph.create().withDedupShards(4).shardsFor(unbounded));
  }
}
