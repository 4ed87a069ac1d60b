package io.unifiedexposure.pipelines.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.FactLineage;
import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.OptionsCopy;
import io.unifiedexposure.pipelines.PathFlags;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.format.LineageRecords;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.live.KafkaSettings;
import io.unifiedexposure.pipelines.reconcile.EvidenceSources;
import io.unifiedexposure.pipelines.reconcile.LivePanes;
import io.unifiedexposure.pipelines.replay.BackfillRange;
import io.unifiedexposure.pipelines.replay.ReplayExposure;
import io.unifiedexposure.pipelines.replay.ReplayManifest;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code exposure explain}: why a merchant's window has the value it has. Runs a targeted replay of
 * the archive slice (the merchant, the windows asked for) through the same graph, asked for its
 * lineage ({@link ExposureGraph#withLineageOutput()}), so every outcome shown is the graph's own;
 * reads the live panes beside it when given; and per window prints the answer, every fact that
 * counts in receipt order with the running total, every copy that does not and why, what live
 * refused, and checks that the counted deltas sum exactly to the answer. Writes {@code
 * explain.json} and {@code explain.html} ({@link ExplainHtml}). Exit 1 when a sum does not check.
 */
public final class Explain {
  public static final String HELP =
      "exposure explain: one merchant's windows fact by fact: a targeted replay of the archive with the"
          + " graph's lineage, beside the live panes; every fact that counts (source, receipt, running"
          + " total), every copy that does not and why, and the check that the counted deltas sum to"
          + " the answer. Writes explain.json and explain.html.";
  public static final String JSON_FILE = "explain.json";
  public static final String HTML_FILE = "explain.html";
  /** {@code --output} when not given (not an options default: the replay's options share the name). */
  static final String DEFAULT_OUTPUT = "explain-report";
  /** Windows of a range printed in detail on the console at most; the files hold every window. */
  static final int MAX_DETAILED = 5;

  private Explain() {}

  /** What an explain run found: its windows and whether every sum checked. */
  public static final class Result {
    public final List<WindowExplanation> windows;
    public final String output;

    Result(List<WindowExplanation> windows, String output) {
      this.windows = windows;
      this.output = output;
    }

    public boolean allSumsCheck() {
      return windows.stream().allMatch(WindowExplanation::sumChecks);
    }

    /**
     * Whether in every window where the live job's newest pane differs from the replay, the facts
     * live refused or missed add up to exactly that difference.
     */
    public boolean liveDifferencesExplained() {
      return windows.stream().allMatch(w -> w.difference() == null || w.difference() == w.missedByLive());
    }

    public int exitCode() {
      return allSumsCheck() ? 0 : 1;
    }
  }

  public static Result run(ExplainOptions options, PrintStream out) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    ExposureGraph graph = ExposureGraph.fromOptions(options).withLineageOutput();
    WindowGrid grid = graph.grid();
    long[] range = range(options, grid);
    String merchant = options.getMerchant();
    String currency = options.getCurrency();
    String output = PathFlags.outputDirectory("output", options.getOutput() == null ? DEFAULT_OUTPUT
        : options.getOutput()).replaceAll("/+$", "");
    String replayDir = StoredFiles.resolve(output, "replay");
    if (!StoredFiles.matching(StoredFiles.resolve(output, JSON_FILE)).isEmpty()) {
      throw new IllegalArgumentException(
          "--output=" + output + " already holds an explanation; choose a new --output or remove it");
    }
    if (options.getLive().equals("kafka")) {
      // Before the replay runs: a broker out of reach is one line now, not after the job.
      KafkaSettings.checkReachable(options, options.getProjectionsTopic());
    }

    ReplayOptions replay = OptionsCopy.of(options, ReplayOptions.class);
    replay.setArchive(PathFlags.input("archive", options.getArchive()));
    replay.setFrom(EventEncoder.isoUtc(range[0]));
    replay.setTo(EventEncoder.isoUtc(range[1]));
    replay.setMerchants(merchant);
    replay.setOutput(replayDir);
    ReplayManifest replayed = ReplayExposure.runForManifest(replay, graph, out);
    if (!replayed.state.equals(PipelineResult.State.DONE.name())) {
      throw new IllegalStateException("the replay of the slice ended " + replayed.state + "; nothing to explain");
    }

    Map<String, ProjectionRow> answers = new TreeMap<>();
    for (var g : ReadBack.parquetRows(StoredFiles.resolve(replayDir, "projections"))) {
      ProjectionRow r = ProjectionRecords.fromAvro(g);
      if (currency == null || currency.equals(r.currency())) {
        answers.put(ProjectionUpsert.key(r), r);
      }
    }
    Map<String, List<FactLineage>> lineage = new TreeMap<>();
    for (var g : ReadBack.parquetRows(StoredFiles.resolve(replayDir, "lineage"))) {
      FactLineage l = LineageRecords.fromAvro(g);
      if (currency == null || currency.equals(l.event().currency())) {
        lineage.computeIfAbsent(keyOf(l), k -> new ArrayList<>()).add(l);
      }
    }
    LiveInputs live = LiveInputs.read(options, grid, range);

    // Every window the replay or live has a row or a fact for, by its upsert key.
    Map<String, Window> windows = new TreeMap<>();
    answers.values().forEach(r -> windows.put(ProjectionUpsert.key(r),
        new Window(r.merchantId(), r.currency(), r.windowStart().getMillis())));
    lineage.forEach((k, ls) -> windows.put(k,
        new Window(ls.get(0).event().merchantId(), ls.get(0).event().currency(), ls.get(0).windowStart().getMillis())));
    live.panes.forEach((k, ps) -> windows.put(k,
        new Window(ps.get(0).row.merchantId(), ps.get(0).row.currency(), ps.get(0).row.windowStart().getMillis())));
    List<WindowExplanation> explained = new ArrayList<>();
    windows.forEach((key, w) -> explained.add(new WindowExplanation(w.merchantId, w.currency, w.start,
        grid.windowEnd(w.start), grid.expiry(w.start), answers.get(key), lineage.getOrDefault(key, List.of()),
        live.panes.getOrDefault(key, List.of()), live.refusals.getOrDefault(key, List.of()),
        live.deadLetters.getOrDefault(key, List.of()))));
    Result result = new Result(explained, output);
    ObjectNode json = json(options, range, result, live);
    StoredFiles.writeString(StoredFiles.resolve(output, JSON_FILE),
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    StoredFiles.writeString(StoredFiles.resolve(output, HTML_FILE), ExplainHtml.render(json));
    print(result, live, options, range, out);
    return result;
  }

  /** [from, to) of the windows asked for: --window's window, or --from/--to widened to whole windows. */
  static long[] range(ExplainOptions options, WindowGrid grid) {
    if (options.getWindow() != null) {
      if (options.getFrom() != null || options.getTo() != null) {
        throw new IllegalArgumentException("give --window, or --from and --to, not both");
      }
      long t = BackfillRange.parse("window", options.getWindow());
      return new long[] {grid.windowStart(t), grid.windowEnd(t)};
    }
    if (options.getFrom() == null || options.getTo() == null) {
      throw new IllegalArgumentException("say which windows: --window=<date or instant>, or --from and --to");
    }
    BackfillRange r = BackfillRange.of(options.getFrom(), options.getTo(), options.getMerchant(), grid);
    return new long[] {r.fromMillis(), r.toMillis()};
  }

  /** A window of one merchant and currency. */
  private record Window(String merchantId, String currency, long start) {}

  private static String keyOf(FactLineage l) {
    return ProjectionUpsert.key(l.event().merchantId(), l.event().currency(), l.windowStart().getMillis());
  }

  /** What the live job published and refused for the slice (nothing with {@code --live=none}). */
  static final class LiveInputs {
    final String described;
    final Map<String, List<WindowExplanation.LivePane>> panes = new TreeMap<>();
    final Map<String, List<WindowExplanation.LiveRefusal>> refusals = new TreeMap<>();
    final Map<String, List<String[]>> deadLetters = new TreeMap<>();
    /** Dead letters naming the merchant whose payload gives no window: {source, reasons, payload}. */
    final List<String[]> unplaced = new ArrayList<>();

    private LiveInputs(String described) {
      this.described = described;
    }

    static LiveInputs read(ExplainOptions options, WindowGrid grid, long[] range) throws IOException {
      String liveFlag = options.getLive();
      if (liveFlag.equals("none")) {
        return new LiveInputs("none");
      }
      boolean kafka = liveFlag.equals("kafka");
      String source = kafka ? "kafka" : PathFlags.input("live", liveFlag);
      LiveInputs in = new LiveInputs(
          kafka ? "topic '" + options.getProjectionsTopic() + "' at " + options.getBootstrapServers() : source);
      Map<String, Object> config = KafkaSettings.clientConfig(options);
      try {
        LivePanes all = LivePanes.read(source, config, options.getBootstrapServers(),
            options.getProjectionsTopic());
        for (int i = 0; i < all.rows.size(); i++) {
          ProjectionRow r = all.rows.get(i);
          if (in.selects(options, r.merchantId(), r.currency(), r.windowStart().getMillis(), range)) {
            in.panes.computeIfAbsent(ProjectionUpsert.key(r), k -> new ArrayList<>())
                .add(new WindowExplanation.LivePane(r, all.publishedAt.get(i)));
          }
        }
        if (kafka) {
          in.readRefusals(options, config, grid, range);
        }
      } catch (KafkaException e) {
        throw new IllegalArgumentException("cannot read the live topics from Kafka at " + options.getBootstrapServers()
            + ": " + e.getMessage() + "; pass --live=none or a snapshot directory to explain without Kafka", e);
      }
      return in;
    }

    private boolean selects(ExplainOptions options, String merchant, String currency, long windowStart, long[] range) {
      return merchant.equals(options.getMerchant())
          && (options.getCurrency() == null || options.getCurrency().equals(currency))
          && windowStart >= range[0] && windowStart < range[1];
    }

    /** The live job's beyond-lateness facts and dead letters that name the slice's windows. */
    private void readRefusals(ExplainOptions options, Map<String, Object> config, WindowGrid grid, long[] range) {
      for (ConsumerRecord<String, String> r :
          ReadBack.topic(config, options.getBootstrapServers(), options.getBeyondLatenessTopic())) {
        JsonNode n = Json.parse(r.value());
        JsonNode e = n.path("event");
        long start = EventDecoder.parseEventTime(n.path("window_start").asText());
        if (!selects(options, e.path("merchant_id").asText(), e.path("currency").asText(), start, range)) {
          continue;
        }
        String why = "live: beyond lateness: received " + n.path("received_at").asText()
            + ", after the window closed (the live watermark passed " + EventEncoder.isoUtc(grid.expiry(start)) + ")";
        refusals.computeIfAbsent(ProjectionUpsert.key(e.path("merchant_id").asText(), e.path("currency").asText(), start),
                k -> new ArrayList<>())
            .add(new WindowExplanation.LiveRefusal(e.path("event_id").asText(), n.path("source").asText(),
                EventDecoder.parseEventTime(n.path("received_at").asText()), why));
      }
      for (ConsumerRecord<String, String> r :
          ReadBack.topic(config, options.getBootstrapServers(), options.getDeadLetterTopic())) {
        JsonNode n = Json.parse(r.value());
        if (isConflict(n)) {
          continue; // the replay's lineage shows every conflicting copy, with the copy it lost to
        }
        String payload = n.path("payload").asText("");
        List<String> codes = new ArrayList<>();
        n.path("reasons").forEach(c -> codes.add(c.path("code").asText() + ": " + c.path("detail").asText()));
        String[] letter = {n.path("source").asText("?"), String.join("; ", codes), payload};
        JsonNode p = lenient(payload);
        if (p == null || !options.getMerchant().equals(p.path("merchant_id").asText(null))) {
          continue;
        }
        String cur = p.path("currency").asText(null);
        Long at = eventTime(p.path("event_time").asText(null));
        if (at == null || cur == null) {
          unplaced.add(letter);
        } else if (selects(options, options.getMerchant(), cur, grid.windowStart(at), range)) {
          deadLetters.computeIfAbsent(ProjectionUpsert.key(options.getMerchant(), cur, grid.windowStart(at)),
              k -> new ArrayList<>()).add(letter);
        }
      }
    }

    private static boolean isConflict(JsonNode deadLetter) {
      for (JsonNode reason : deadLetter.path("reasons")) {
        if (reason.path("code").asText().equals(EvidenceSources.CONFLICT_CODE)) {
          return true;
        }
      }
      return false;
    }

    private static @Nullable JsonNode lenient(String payload) {
      try {
        JsonNode n = Json.MAPPER.readTree(payload);
        return n != null && n.isObject() ? n : null;
      } catch (IOException notJson) {
        return null;
      }
    }

    private static @Nullable Long eventTime(@Nullable String text) {
      try {
        return text == null ? null : EventDecoder.parseEventTime(text);
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }

  private static ObjectNode json(ExplainOptions options, long[] range, Result result, LiveInputs live) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode q = root.putObject("explained");
    q.put("merchant_id", options.getMerchant());
    q.put("currency", options.getCurrency() == null ? "all" : options.getCurrency());
    q.put("from", EventEncoder.isoUtc(range[0]));
    q.put("to", EventEncoder.isoUtc(range[1]));
    q.put("archive", PathFlags.input("archive", options.getArchive()));
    q.put("live", live.described);
    q.put("generated_at", java.time.Instant.now().toString());
    root.put("all_sums_check", result.allSumsCheck());
    ArrayNode windows = root.putArray("windows");
    result.windows.forEach(w -> windows.add(w.toJson()));
    ArrayNode unplaced = root.putArray("dead_letters_without_window");
    for (String[] d : live.unplaced) {
      unplaced.addObject().put("source", d[0]).put("reasons", d[1]).put("payload", d[2]);
    }
    return root;
  }

  private static void print(Result result, LiveInputs live, ExplainOptions options, long[] range, PrintStream out) {
    out.printf("explain: merchant %s, %s, windows [%s, %s); live: %s%n", options.getMerchant(),
        options.getCurrency() == null ? "every currency" : options.getCurrency(),
        EventEncoder.isoUtc(range[0]), EventEncoder.isoUtc(range[1]), live.described);
    if (result.windows.isEmpty()) {
      out.println("  no fact of this merchant in these windows, in the archive or live");
    }
    List<WindowExplanation> detailed = new ArrayList<>(result.windows);
    if (result.windows.size() > 1) {
      // A range: a line per window, then the windows a reader came for: those whose sum does not
      // check or whose live value differs.
      ExplainConsole.summary(result.windows, out);
      detailed.removeIf(w -> w.sumChecks() && (w.difference() == null || w.difference() == 0));
      if (detailed.size() > MAX_DETAILED) {
        out.printf("  %d windows differ or do not check; the first %d in detail (all in %s)%n",
            detailed.size(), MAX_DETAILED, HTML_FILE);
        detailed = detailed.subList(0, MAX_DETAILED);
      }
    }
    for (WindowExplanation w : detailed) {
      ExplainConsole.print(w, options.getConsoleRows(), out);
    }
    if (!live.unplaced.isEmpty()) {
      out.printf("  %d dead letter(s) name %s without a readable window (see %s)%n",
          live.unplaced.size(), options.getMerchant(), JSON_FILE);
    }
    out.printf("  %s%n", result.allSumsCheck()
        ? "every window's counted deltas sum exactly to the replay's answer"
        : "A WINDOW'S COUNTED DELTAS DO NOT SUM TO THE REPLAY'S ANSWER: see above");
    out.printf("  explanation: %s, %s%n", StoredFiles.resolve(result.output, JSON_FILE),
        StoredFiles.resolve(result.output, HTML_FILE));
  }
}
