package io.unifiedexposure.graph;

import com.google.auto.value.AutoValue;
import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.RawRecord;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The one exposure graph: raw records in; projections, dead letters and beyond-lateness facts out.
 * No IO inside: the live launcher attaches it to Kafka, the replay launcher to Parquet archives.
 *
 * <pre>
 *   raw records ─ DecodeAndValidate ─┬─ dead letters ─────────────────────────────┐
 *                                    └─ DedupFacts ─┬─ conflicts ────────────────┴─ Flatten → deadLetters
 *                                                   ├─ beyond lateness ───────────→ beyondLateness
 *                                                   └─ facts ─ WindowAndTrigger ─ SumPerMerchantCurrency
 *                                                                               ─ ToProjection → projections
 * </pre>
 *
 * <p>Bounded input takes execution shortcuts inside the same steps, each with the same rules and
 * outputs: records are decoded into batches per dedup shard, one output whose refused records
 * leave after the shuffle ({@link DecodeIntoShardBatches}); dedup is one pass per dedup shard
 * ({@link DedupBoundedShard}); and the window sums are keyed by aggregation shard rather than by
 * (merchant, currency) ({@link #sumPerShard}). Its windows fire once each, on time: a bounded
 * input is complete before the watermark passes any of them, so an early pane would be no answer
 * ({@link #onePaneWindowing}).
 */
@AutoValue
public abstract class ExposureGraph extends PTransform<PCollection<RawRecord>, ExposureGraph.Outputs> {
  public static final Duration DEFAULT_WINDOW_SIZE = Duration.standardDays(1);
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardDays(3);
  public static final Duration DEFAULT_EARLY_FIRING_DELAY = Duration.standardSeconds(30);
  public static final int DEFAULT_DEDUP_SHARDS = 1;
  /**
   * Dedup shards for bounded input at least. A bounded input has no late data (nothing arrives behind
   * the watermark), so the one-shard rule for streaming (see {@link DedupFacts}) does not apply and
   * the work spreads over the runner's workers. Not 64: FlinkRunner's two workers then finished
   * their dedup 0.9-1.0 s apart instead of 1.3-1.5 s in a 5M replay, but DirectRunner with 10,000
   * merchants took more than twice as long (119 s with 16, over 290 s with 64).
   */
  public static final int BOUNDED_DEDUP_SHARDS = 16;

  public abstract Duration windowSize();

  public abstract Duration allowedLateness();

  public abstract Duration earlyFiringDelay();

  public abstract int dedupShards();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setWindowSize(Duration d);

    abstract Builder setAllowedLateness(Duration d);

    abstract Builder setEarlyFiringDelay(Duration d);

    abstract Builder setDedupShards(int n);

    abstract ExposureGraph build();
  }

  /** The graph with its defaults: 1-day windows, 3 days of lateness, early panes after 30 s. */
  public static ExposureGraph create() {
    return new AutoValue_ExposureGraph.Builder()
        .setWindowSize(DEFAULT_WINDOW_SIZE)
        .setAllowedLateness(DEFAULT_ALLOWED_LATENESS)
        .setEarlyFiringDelay(DEFAULT_EARLY_FIRING_DELAY)
        .setDedupShards(DEFAULT_DEDUP_SHARDS)
        .build();
  }

  /** The graph configured from options; only plain values are kept. */
  public static ExposureGraph fromOptions(ExposureOptions options) {
    return create()
        .withWindowSize(IsoDurations.parse("windowSize", options.getWindowSize()))
        .withAllowedLateness(IsoDurations.parse("allowedLateness", options.getAllowedLateness()))
        .withEarlyFiringDelay(IsoDurations.parse("earlyFiringDelay", options.getEarlyFiringDelay()))
        .withDedupShards(options.getDedupShards());
  }

  public ExposureGraph withWindowSize(Duration size) {
    checkArg(size.getMillis() > 0, "window size must be positive, was %s", size);
    checkArg(
        Duration.standardDays(1).getMillis() % size.getMillis() == 0
            || size.getMillis() % Duration.standardDays(1).getMillis() == 0,
        "window size must divide a day or be whole days so windows align to UTC days, was %s",
        size);
    return toBuilder().setWindowSize(size).build();
  }

  public ExposureGraph withAllowedLateness(Duration lateness) {
    checkArg(lateness.getMillis() >= 0, "allowed lateness must not be negative, was %s", lateness);
    return toBuilder().setAllowedLateness(lateness).build();
  }

  public ExposureGraph withEarlyFiringDelay(Duration delay) {
    checkArg(delay.getMillis() > 0, "early firing delay must be positive, was %s", delay);
    return toBuilder().setEarlyFiringDelay(delay).build();
  }

  public ExposureGraph withDedupShards(int shards) {
    checkArg(shards >= 1 && shards <= 4096, "dedup shards must be in 1..4096, was %s", shards);
    return toBuilder().setDedupShards(shards).build();
  }

  /** The window arithmetic this graph uses (also what a backfill needs to know). */
  public WindowGrid grid() {
    return new WindowGrid(windowSize(), allowedLateness());
  }

  /** The dedup shards this input gets: {@link #dedupShards()}, and at least 16 when it is bounded. */
  int shardsFor(PCollection<RawRecord> raw) {
    return raw.isBounded() == PCollection.IsBounded.BOUNDED
        ? Math.max(dedupShards(), BOUNDED_DEDUP_SHARDS)
        : dedupShards();
  }

  @Override
  public Outputs expand(PCollection<RawRecord> raw) {
    boolean bounded = raw.isBounded() == PCollection.IsBounded.BOUNDED;
    PCollectionTuple deduped = bounded ? decodeAndDedupBounded(raw) : decodeAndDedupStreaming(raw);
    deduped.get(DedupFacts.CONFLICTS).setCoder(DeadLetter.coder());
    deduped.get(DedupFacts.BEYOND).setCoder(BeyondLateness.coder());
    deduped.get(DecodeRecords.INVALID).setCoder(DeadLetter.coder());

    PCollection<ProjectionRow> projections =
        bounded
            ? sumPerShard(
                deduped
                    .get(DedupBoundedShard.SHARD_SUMS)
                    .setCoder(KvCoder.of(VarIntCoder.of(), ShardSums.Coder.INSTANCE)))
            : sumPerKey(
                deduped.get(DedupFacts.FACTS).setCoder(KvCoder.of(ExposureKey.coder(), Contribution.Coder.INSTANCE)));

    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(deduped.get(DecodeRecords.INVALID))
            .and(deduped.get(DedupFacts.CONFLICTS))
            .apply("AllDeadLetters", Flatten.pCollections())
            .setCoder(DeadLetter.coder());

    return new Outputs(projections, deadLetters, deduped.get(DedupFacts.BEYOND), deduped);
  }

  /**
   * Streaming input: decoded record by record, then deduplicated by a stateful stage that tracks the
   * watermark ({@link DedupFacts}).
   */
  private PCollectionTuple decodeAndDedupStreaming(PCollection<RawRecord> raw) {
    PCollectionTuple decoded =
        raw.apply(
            "DecodeAndValidate",
            ParDo.of(new DecodeRecords(shardsFor(raw)))
                .withOutputTags(DecodeRecords.VALID, TupleTagList.of(DecodeRecords.INVALID)));
    PCollection<KV<Integer, ReceivedEvent>> valid =
        decoded.get(DecodeRecords.VALID).setCoder(KvCoder.of(VarIntCoder.of(), ReceivedEvent.Coder.INSTANCE));
    PCollectionTuple deduped =
        valid.apply(
            "DedupFacts",
            ParDo.of(new DedupFacts(grid()))
                .withOutputTags(DedupFacts.FACTS, TupleTagList.of(DedupFacts.CONFLICTS).and(DedupFacts.BEYOND)));
    return deduped
        .and(DecodeRecords.INVALID, decoded.get(DecodeRecords.INVALID))
        .and(VALID_KEYED, valid);
  }

  /**
   * Bounded input, which has no late data: decoded into batches per dedup shard ({@link
   * DecodeIntoShardBatches}), grouped by shard, then deduplicated by one pass per shard over all its
   * copies ({@link DedupBoundedShard}), where the refused records leave too. Same rules, same outputs.
   */
  private PCollectionTuple decodeAndDedupBounded(PCollection<RawRecord> raw) {
    PCollection<KV<Integer, ShardBatch>> batches =
        raw.apply("DecodeAndValidate", ParDo.of(new DecodeIntoShardBatches(shardsFor(raw))))
            .setCoder(KvCoder.of(VarIntCoder.of(), ShardBatch.Coder.INSTANCE));
    // Grouped batches carry the earliest batch's timestamp and hold the watermark there, not at the
    // end of the global window, so the window sums emitted from them are on time downstream.
    PCollectionTuple deduped =
        batches
            .apply(
                "EarliestTimestamp",
                Window.<KV<Integer, ShardBatch>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
            .apply("GroupByDedupShard", GroupByKey.create())
            .apply(
                "DedupFacts",
                ParDo.of(new DedupBoundedShard(grid(), shardsFor(raw)))
                    .withOutputTags(
                        DedupBoundedShard.SHARD_SUMS,
                        TupleTagList.of(DedupFacts.CONFLICTS).and(DedupFacts.BEYOND).and(DecodeRecords.INVALID)));
    return deduped.and(VALID_BATCHES, batches);
  }

  private static final TupleTag<KV<Integer, ReceivedEvent>> VALID_KEYED = new TupleTag<>("validKeyed");
  private static final TupleTag<KV<Integer, ShardBatch>> VALID_BATCHES = new TupleTag<>("validBatches");

  /**
   * Valid events as received, built only when asked for ({@link Outputs#validEvents()}): from the
   * streaming decode's valid output, or from the bounded decode's batches.
   */
  private static PCollection<ReceivedEvent> validEventsOf(PCollectionTuple deduped) {
    PCollection<ReceivedEvent> events =
        deduped.has(VALID_KEYED)
            ? deduped.get(VALID_KEYED).apply("ValidEventsAsReceived", Values.create())
            : deduped.get(VALID_BATCHES).apply("ValidEventsAsReceived", ParDo.of(new EventsOfBatch()));
    return events.setCoder(ReceivedEvent.coder());
  }

  /** The decode step's valid output that {@link #validEventsOf} builds from. */
  private static PValue validSourceOf(PCollectionTuple deduped) {
    return deduped.has(VALID_KEYED) ? deduped.get(VALID_KEYED) : deduped.get(VALID_BATCHES);
  }

  /** The valid events of a shard batch, as received. */
  private static final class EventsOfBatch extends DoFn<KV<Integer, ShardBatch>, ReceivedEvent> {
    @ProcessElement
    public void process(@Element KV<Integer, ShardBatch> batch, OutputReceiver<ReceivedEvent> out) {
      batch.getValue().events().forEach(copy -> out.output(copy.received()));
    }
  }

  /** Streaming: each (merchant, currency) window fires its own panes. */
  private PCollection<ProjectionRow> sumPerKey(PCollection<KV<ExposureKey, Contribution>> facts) {
    return facts
        .apply("WindowAndTrigger", this.<KV<ExposureKey, Contribution>>windowing())
        .apply("SumPerMerchantCurrency", Combine.perKey(new SumContributions()))
        .apply("ToProjection", ParDo.of(new ToProjection.PerKey()))
        .setCoder(ProjectionRow.coder());
  }

  /**
   * Bounded input: the same windows, fired once each ({@link #onePaneWindowing}), summed per
   * aggregation shard and window with a map per (merchant, currency) (what the dedup passes on is
   * already keyed so: {@link DedupBoundedShard}), then one row per (merchant, currency) as above. A
   * runner meets one key per aggregation shard instead of one per (merchant, currency): DirectRunner
   * gives every key its own bundle through every later step, each translating its DoFn anew, and with
   * 10,000 merchants (30,000 keys) that, not the data, was most of a replay's time.
   */
  private PCollection<ProjectionRow> sumPerShard(
      PCollection<KV<Integer, ShardSums>> shardSums) {
    return shardSums
        .apply("WindowAndTrigger", this.<KV<Integer, ShardSums>>onePaneWindowing())
        .apply("SumPerMerchantCurrency", Combine.perKey(new SumContributions.PerKeyInShard()))
        .apply("ToProjection", ParDo.of(new ToProjection.PerShard()))
        .setCoder(ProjectionRow.coder());
  }

  /**
   * Fixed event-time windows; early panes a processing-time delay after a pane's first element;
   * an on-time pane at the watermark when facts arrived since the last early pane; a late pane per
   * late fact; a final pane when the window closes. Panes accumulate.
   */
  private <T> Window<T> windowing() {
    return windows(
        AfterWatermark.pastEndOfWindow()
            .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiringDelay()))
            .withLateFirings(AfterPane.elementCountAtLeast(1)),
        Window.ClosingBehavior.FIRE_ALWAYS);
  }

  /**
   * Bounded input's windows: the same fixed windows and lateness, one pane each, on time. A bounded
   * input has no late data: the dedup shuffle passes its sums on only once every record is read,
   * each stamped no earlier than the watermark it holds (see {@link #decodeAndDedupBounded}), so the
   * watermark passes a window only when all of its facts are summed. An early pane could then only
   * show how fast a runner read, never an answer, and a replay could hold two rows of a window.
   * With one pane per window a replay's projections are its answer as they come, one row per
   * (merchant, currency, window), on every runner (FlinkRunner's batch mode fires once per window
   * whatever the trigger). Should a fact still come behind the watermark it gets a late pane, by
   * the same lateness rule as live.
   */
  private <T> Window<T> onePaneWindowing() {
    return windows(
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)),
        Window.ClosingBehavior.FIRE_IF_NON_EMPTY);
  }

  /**
   * The graph's fixed windows, allowed lateness and accumulating panes, with an input's trigger and
   * closing behaviour ({@link #windowing}, {@link #onePaneWindowing}).
   */
  private <T> Window<T> windows(Trigger trigger, Window.ClosingBehavior closing) {
    return Window.<T>into(FixedWindows.of(windowSize()))
        .triggering(trigger)
        .withAllowedLateness(allowedLateness(), closing)
        // No ON_TIME pane when nothing arrived since the last early pane: it would repeat that pane.
        // (The empty final pane Beam fires after a window's state is gone is dropped in ToProjection.)
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  /** The graph's outputs: projections, dead letters, beyond lateness, and valid events as received. */
  public static final class Outputs implements POutput {
    private static final TupleTag<ProjectionRow> PROJECTIONS = new TupleTag<>("projections");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");
    private static final TupleTag<BeyondLateness> BEYOND_LATENESS = new TupleTag<>("beyondLateness");
    private static final TupleTag<Object> VALID_EVENTS = new TupleTag<>("validEvents");

    private final PCollection<ProjectionRow> projections;
    private final PCollection<DeadLetter> deadLetters;
    private final PCollection<BeyondLateness> beyondLateness;
    private final PCollectionTuple stages;
    private @Nullable PCollection<ReceivedEvent> validEvents;

    Outputs(
        PCollection<ProjectionRow> projections,
        PCollection<DeadLetter> deadLetters,
        PCollection<BeyondLateness> beyondLateness,
        PCollectionTuple stages) {
      this.projections = projections;
      this.deadLetters = deadLetters;
      this.beyondLateness = beyondLateness;
      this.stages = stages;
    }

    /** Every pane of every (merchant, currency, window): upsert by highest pane_index. */
    public PCollection<ProjectionRow> projections() {
      return projections;
    }

    /** Refused records: invalid input and conflicting copies. */
    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    /** Valid facts that arrived after their window closed, tagged with the window. */
    public PCollection<BeyondLateness> beyondLateness() {
      return beyondLateness;
    }

    /**
     * Every valid record as received, duplicates and conflicting copies included, stamped with its
     * event time: what the live launcher archives so a replay sees exactly what live saw.
     *
     * <p>Built on first call (step {@code ValidEventsAsReceived}), so a pipeline that does not
     * archive (a replay) does not pay for a branch nobody reads: on FlinkRunner's batch mode every
     * branch of a multi-output step is another pass over the records.
     */
    public PCollection<ReceivedEvent> validEvents() {
      if (validEvents == null) {
        validEvents = validEventsOf(stages);
      }
      return validEvents;
    }

    @Override
    public Pipeline getPipeline() {
      return projections.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(
          PROJECTIONS, projections,
          DEAD_LETTERS, deadLetters,
          BEYOND_LATENESS, beyondLateness,
          VALID_EVENTS, validSourceOf(stages));
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  private static void checkArg(boolean ok, String message, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, value));
    }
  }

}
