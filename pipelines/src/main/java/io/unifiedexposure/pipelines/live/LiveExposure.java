package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.FactKind;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.ExposureOutputs;
import io.unifiedexposure.graph.IsoDurations;
import io.unifiedexposure.pipelines.PathFlags;
import io.unifiedexposure.pipelines.ReferenceOptions;
import io.unifiedexposure.pipelines.RunnerDefaults;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The live job: Kafka JSON events and FX rates → the exposure graph → projections, converted rows,
 * dead letters and beyond-lateness facts to Kafka, every valid record to the Parquet archives.
 *
 * <pre>
 *   ReadEvents ──┬─ AllFacts ─ Exposure ─┬─ projections ──── Projections (Kafka)
 *   ReadFxRates ─┘                       ├─ converted ────── Converted (Kafka)
 *                                        ├─ dead letters ─── DeadLetters (Kafka)
 *                                        ├─ beyond lateness ─ BeyondLateness (Kafka)
 *                                        ├─ valid events ─── Archive (Parquet, dt=YYYY-MM-DD)
 *                                        ├─ valid FX rates ─ ArchiveFxRates (Parquet, reference archive)
 *                                        └─ valid limits ─── ArchiveLimits (Parquet, reference archive)
 * </pre>
 *
 * <p>FX rates are read only from a topic named by {@code --fxRatesTopic}; without one every converted
 * row lists its foreign currencies as missing a rate. With {@code --reportingCurrency=none} there
 * are no converted rows either, and the job is the events-only job of earlier versions, step for step.
 */
public final class LiveExposure {
  private LiveExposure() {}

  /** The live job as configured by its options, reading from Kafka. */
  public static Pipeline create(LiveOptions options) {
    Map<String, Object> client = KafkaSettings.clientConfig(options);
    ExposureGraph graph = graph(options);
    return create(options, graph, kafka(options, client, options.getInputTopic(), FactKind.EVENT),
        readsFxRates(options) ? kafka(options, client, options.getFxRatesTopic(), FactKind.FX_RATE) : null,
        readsLimits(options) ? kafka(options, client, options.getLimitsTopic(), FactKind.MERCHANT_LIMIT) : null,
        client);
  }

  /** Whether the live job reads an FX rates topic: it converts, and a topic is named. */
  public static boolean readsFxRates(LiveOptions options) {
    return ExposureGraph.fromOptions(options).reportingCurrency() != null
        && options.getFxRatesTopic() != null && !options.getFxRatesTopic().isBlank();
  }

  /** Whether the live job reads a merchant limits topic: it converts, and a topic is named. */
  public static boolean readsLimits(LiveOptions options) {
    return ExposureGraph.fromOptions(options).reportingCurrency() != null
        && options.getLimitsTopic() != null && !options.getLimitsTopic().isBlank();
  }

  /**
   * The topics the live job writes, each with whether to create it compacted when missing. The pane
   * topics keep every pane (reconcile and explain read a window's panes, not only its newest), so
   * they are created with the broker's defaults as the record topics are.
   */
  public static Map<String, Boolean> outputTopics(LiveOptions options) {
    Map<String, Boolean> topics = new java.util.LinkedHashMap<>();
    topics.put(options.getProjectionsTopic(), false);
    topics.put(options.getDeadLetterTopic(), false);
    topics.put(options.getBeyondLatenessTopic(), false);
    if (ExposureGraph.fromOptions(options).reportingCurrency() != null) {
      topics.put(options.getConvertedTopic(), false);
      topics.put(options.getCurrentTopic(), true); // one row per merchant wanted: its current one
    }
    return topics;
  }

  /**
   * The live job with its source swapped: everything downstream of the read is the real graph. The
   * source's records say their kind, so FX rates can come from it too.
   */
  public static Pipeline create(LiveOptions options, PTransform<PBegin, PCollection<RawRecord>> source) {
    return create(options, graph(options), source, null, null, KafkaSettings.clientConfig(options));
  }

  private static ExposureGraph graph(LiveOptions options) {
    return ExposureGraph.fromOptions(options).withValidEventsOutput();
  }

  private static KafkaSource kafka(LiveOptions options, Map<String, Object> client, String topic, FactKind kind) {
    return new KafkaSource(
        options.getBootstrapServers(),
        topic,
        client,
        options.getConsumerGroup(),
        options.getStartOffset(),
        IsoDurations.nonNegative("maxOutOfOrderness", options.getMaxOutOfOrderness()),
        IsoDurations.positive("idleTimeout", options.getIdleTimeout()),
        kind);
  }

  private static Pipeline create(
      LiveOptions options,
      ExposureGraph graph,
      PTransform<PBegin, PCollection<RawRecord>> source,
      @Nullable PTransform<PBegin, PCollection<RawRecord>> fxRates,
      @Nullable PTransform<PBegin, PCollection<RawRecord>> limits,
      Map<String, Object> client) {
    // Exactly-once needs what only FlinkRunner gives the sink here: input that is stable across a
    // restore (it is handed over once a checkpoint completes). DirectRunner publishes at least once.
    boolean exactlyOnce = options.getExactlyOnceOutput() && RunnerDefaults.isFlink(options);
    KafkaSinks sinks =
        new KafkaSinks(
            options.getBootstrapServers(),
            client,
            exactlyOnce ? options.getConsumerGroup() : null,
            !exactlyOnce && options.getPublishAfterCheckpoint());
    String archiveDir = PathFlags.outputDirectory("archive", options.getArchive());
    Duration flush = IsoDurations.positive("archiveFlushInterval", options.getArchiveFlushInterval());
    String runId = Long.toString(System.currentTimeMillis(), 36);
    ParquetArchive archive = new ParquetArchive(archiveDir, flush, runId);

    Pipeline p = Pipeline.create(options);
    // "ReadEvents" and every step below "Exposure" keep their names: they are the savepoint's uids.
    PCollection<RawRecord> facts = p.apply("ReadEvents", source);
    if (fxRates != null || limits != null) {
      PCollectionList<RawRecord> all = PCollectionList.of(facts);
      if (fxRates != null) {
        all = all.and(p.apply("ReadFxRates", fxRates));
      }
      if (limits != null) {
        all = all.and(p.apply("ReadLimits", limits));
      }
      facts = all.apply("AllFacts", Flatten.pCollections());
    }
    ExposureOutputs out = facts.apply("Exposure", graph);
    sinks.projections(out.projections(), options.getProjectionsTopic());
    sinks.deadLetters(out.deadLetters(), options.getDeadLetterTopic());
    sinks.beyondLateness(out.beyondLateness(), options.getBeyondLatenessTopic());
    out.validEvents().apply("Archive", archive);
    if (out.hasConverted()) {
      sinks.converted(out.converted(), options.getConvertedTopic());
      String reference = ReferenceOptions.referenceArchive(options, archiveDir);
      out.validFxRates().apply("ArchiveFxRates", ReferenceArchive.fxRates(reference, flush, runId));
      sinks.current(out.latestCurrent(), options.getCurrentTopic());
      out.validLimits().apply("ArchiveLimits", ReferenceArchive.limits(reference, flush, runId));
    }
    return p;
  }
}
