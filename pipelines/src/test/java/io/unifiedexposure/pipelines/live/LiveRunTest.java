package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.pipelines.Publish;
import io.unifiedexposure.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link LiveRun} tells that a live job it waits on will never drain, and why. */
class LiveRunTest {

  /** Throws an {@link Error} (not an exception) on the fifth element. */
  static final class ErrorOnFifth extends DoFn<Long, Long> {
    @ProcessElement
    public void process(@Element Long n, OutputReceiver<Long> out) {
      if (n == 5) {
        throw new AssertionError("archive writer broke on element 5");
      }
      out.output(n);
    }
  }

  /** An endless DirectRunner job, started without blocking; with {@code failing}, it fails soon. */
  private static PipelineResult ticking(boolean failing) {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    PCollection<Long> ticks = p.apply("Tick", GenerateSequence.from(0).withRate(20, Duration.standardSeconds(1)));
    if (failing) {
      ticks.apply("ErrorOnFifth", ParDo.of(new ErrorOnFifth()));
    }
    return p.run();
  }

  @Test
  void aLiveJobBuiltInCodeOnFlinkGetsTheLaunchersBundlesUnlessItsOptionsSayOtherwise() {
    LiveOptions plain = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--archive=/a").as(LiveOptions.class);
    LiveRun.configureRunner(plain);
    assertEquals(250L, plain.as(FlinkPipelineOptions.class).getMaxBundleTimeMills());
    assertEquals(20_000L, plain.as(FlinkPipelineOptions.class).getMaxBundleSize());
    assertTrue(plain.as(FlinkPipelineOptions.class).getFasterCopy(), "heap state shares values with checkpoints");
    // As the demo, the bench and the tests build theirs: streaming, where FlinkRunner's own default is 1 s.
    LiveOptions streaming = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--archive=/a").as(LiveOptions.class);
    streaming.setStreaming(true);
    LiveRun.configureRunner(streaming);
    assertEquals(250L, streaming.as(FlinkPipelineOptions.class).getMaxBundleTimeMills());
    assertEquals(20_000L, streaming.as(FlinkPipelineOptions.class).getMaxBundleSize());
    LiveOptions told = PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--archive=/a", "--maxBundleTimeMills=500", "--maxBundleSize=300").as(LiveOptions.class);
    LiveRun.configureRunner(told);
    assertEquals(500L, told.as(FlinkPipelineOptions.class).getMaxBundleTimeMills());
    assertEquals(300L, told.as(FlinkPipelineOptions.class).getMaxBundleSize());
  }

  @Test
  void aHeartbeatSaysWhenTheRunnersCountersCannotBeSeenInsteadOfPrintingZeros() {
    assertEquals("counters not visible (an in-process Flink cluster shows them on a REST port: "
        + "--flinkConfDir=runners-config/flink)", LiveRun.counted(null, 0, 10));
    assertEquals("1,000 records in (+50/s), 900 facts counted, 3 dead letters, 0 beyond lateness",
        LiveRun.counted(java.util.Map.of(io.unifiedexposure.graph.ExposureMetrics.RECORDS_IN, 1000L,
            io.unifiedexposure.graph.ExposureMetrics.FACTS_COUNTED, 900L,
            io.unifiedexposure.graph.ExposureMetrics.DEAD_LETTERS, 3L), 500, 10));
  }

  @Test
  void aFailedDirectRunnerJobIsReportedWithItsError() throws Exception {
    PipelineResult job = ticking(true);
    try {
      long deadline = System.currentTimeMillis() + 30_000;
      IllegalStateException stopped = null;
      while (stopped == null && System.currentTimeMillis() < deadline) {
        try {
          LiveRun.failIfStopped(job, "events");
          Thread.sleep(200);
        } catch (IllegalStateException e) {
          stopped = e;
        }
      }
      assertTrue(stopped != null, "the Error was never reported");
      assertTrue(stopped.getMessage().contains("archive writer broke on element 5"), stopped.getMessage());
      // The error surfaces before the runner has shut the job down: wait for its final state.
      assertEquals(PipelineResult.State.FAILED, job.waitUntilFinish(Duration.standardSeconds(30)));
    } finally {
      job.cancel();
    }
  }

  @Test
  void aStallReportSaysHowManyRecordsEachPartitionHoldsAndHowFarTheGroupGot(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        Admin admin = kafka.admin()) {
      kafka.createTopics(Map.of("events", 3));
      List<ProducerRecord<String, String>> records = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        records.add(new ProducerRecord<>("events", i < 3 ? 0 : 2, null, "r" + i));
      }
      try (KafkaProducer<String, String> p = new KafkaProducer<>(
          Publish.inOrderConfig(Map.of(), kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
        Publish.all(p, records);
      }
      admin.alterConsumerGroupOffsets("group", Map.of(new TopicPartition("events", 0), new OffsetAndMetadata(2)))
          .all().get();
      assertEquals("partition end/committed: 0=3/2, 1=0/-, 2=2/-", LiveRun.partitionOffsets(admin, "group", "events"));
    }
  }

  @Test
  void aRunningDirectRunnerJobIsNotReportedAsStopped() throws Exception {
    PipelineResult job = ticking(false);
    try {
      for (int i = 0; i < 10; i++) {
        LiveRun.failIfStopped(job, "events");
        Thread.sleep(100);
      }
      // What a stall report would say of the runner's threads: each one's state and whereabouts.
      String threads = LiveRun.runnerThreads(Thread.getAllStackTraces());
      assertTrue(threads.matches("direct-runner-worker threads: \\{[A-Z_]+ .+=\\d+.*}"), threads);
      job.cancel();
      assertThrows(IllegalStateException.class, () -> LiveRun.failIfStopped(job, "events"));
    } finally {
      job.cancel();
    }
  }

  @Test
  void drainedMeansQuietForTheEarlyDelayPlusOneCheckpointWhenOutputsWaitForIt() {
    LiveOptions flink = PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--earlyFiringDelay=PT2S", "--checkpointingInterval=10000").as(LiveOptions.class);
    assertEquals(15_000, LiveRun.quietMillis(flink));
    flink.setPublishAfterCheckpoint(false);
    assertEquals(5_000, LiveRun.quietMillis(flink));
    flink.setExactlyOnceOutput(true);
    assertEquals(15_000, LiveRun.quietMillis(flink), "exactly once, outputs also wait for the checkpoint");
    LiveOptions direct = PipelineOptionsFactory.fromArgs(
        "--earlyFiringDelay=PT2S").as(LiveOptions.class);
    assertEquals(5_000, LiveRun.quietMillis(direct));
  }
}
