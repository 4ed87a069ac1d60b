package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.graph.IsoDurations;
import io.unifiedexposure.pipelines.PathFlags;
import io.unifiedexposure.pipelines.RunnerDefaults;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The live job: Kafka JSON events → the exposure graph → projections, dead letters and
 * beyond-lateness facts to Kafka, every valid record to the Parquet archive.
 *
 * <pre>
 *   ReadEvents ─ Exposure ─┬─ projections ──── Projections (Kafka)
 *                          ├─ dead letters ─── DeadLetters (Kafka)
 *                          ├─ beyond lateness ─ BeyondLateness (Kafka)
 *                          └─ valid events ─── Archive (Parquet, dt=YYYY-MM-DD)
 * </pre>
 */
public final class LiveExposure {
  private LiveExposure() {}

  /** The live job as configured by its options, reading from Kafka. */
  public static Pipeline create(LiveOptions options) {
    Map<String, Object> client = KafkaSettings.clientConfig(options);
    KafkaSource source =
        new KafkaSource(
            options.getBootstrapServers(),
            options.getInputTopic(),
            client,
            options.getConsumerGroup(),
            options.getStartOffset(),
            IsoDurations.nonNegative("maxOutOfOrderness", options.getMaxOutOfOrderness()),
            IsoDurations.positive("idleTimeout", options.getIdleTimeout()));
    return create(options, source, client);
  }

  /** The live job with its source swapped: everything downstream of the read is the real graph. */
  public static Pipeline create(LiveOptions options, PTransform<PBegin, PCollection<RawRecord>> source) {
    return create(options, source, KafkaSettings.clientConfig(options));
  }

  private static Pipeline create(
      LiveOptions options, PTransform<PBegin, PCollection<RawRecord>> source, Map<String, Object> client) {
    ExposureGraph graph = ExposureGraph.fromOptions(options).withValidEventsOutput();
    // Exactly-once needs what only FlinkRunner gives the sink here: input that is stable across a
    // restore (it is handed over once a checkpoint completes). DirectRunner publishes at least once.
    boolean exactlyOnce = options.getExactlyOnceOutput() && RunnerDefaults.isFlink(options);
    KafkaSinks sinks =
        new KafkaSinks(
            options.getBootstrapServers(),
            client,
            exactlyOnce ? options.getConsumerGroup() : null,
            !exactlyOnce && options.getPublishAfterCheckpoint());
    ParquetArchive archive =
        new ParquetArchive(
            PathFlags.outputDirectory("archive", options.getArchive()),
            IsoDurations.positive("archiveFlushInterval", options.getArchiveFlushInterval()),
            Long.toString(System.currentTimeMillis(), 36));

    Pipeline p = Pipeline.create(options);
    ExposureOutputs out = p.apply("ReadEvents", source).apply("Exposure", graph);
    sinks.projections(out.projections(), options.getProjectionsTopic());
    sinks.deadLetters(out.deadLetters(), options.getDeadLetterTopic());
    sinks.beyondLateness(out.beyondLateness(), options.getBeyondLatenessTopic());
    out.validEvents().apply("Archive", archive);
    return p;
  }
}
