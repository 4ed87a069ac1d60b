package io.unifiedexposure.pipelines.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.graph.ExposureMetrics;
import io.unifiedexposure.pipelines.format.Json;
import io.unifiedexposure.pipelines.storage.StoredFiles;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a replay computed, written beside its output as {@code _replay.json}: the archive, the
 * backfill range, the graph's window size and lateness, the final state and the graph's counters.
 * Reconcile reads it to compare the same range and to report duplicate and dead-letter rates.
 */
public final class ReplayManifest {
  public static final String FILE = "_replay.json";

  public final String archive;
  public final Long fromMillis;
  public final Long toMillis;
  public final Set<String> merchants;
  public final String state;
  public final Map<String, Long> counters;
  /** The replay's {@code --asOf}, or null: it took everything the archive had. */
  public final Long asOfMillis;

  public ReplayManifest(
      String archive, Long fromMillis, Long toMillis, Set<String> merchants, String state, Map<String, Long> counters) {
    this(archive, fromMillis, toMillis, merchants, state, counters, null);
  }

  public ReplayManifest(String archive, Long fromMillis, Long toMillis, Set<String> merchants, String state,
      Map<String, Long> counters, Long asOfMillis) {
    this.archive = archive;
    this.fromMillis = fromMillis;
    this.toMillis = toMillis;
    this.merchants = new TreeSet<>(merchants);
    this.state = state;
    this.counters = new TreeMap<>(counters);
    this.asOfMillis = asOfMillis;
  }

  static ReplayManifest of(String archive, BackfillRange range, String state, Map<String, Long> counters) {
    return new ReplayManifest(
        archive,
        range.fromMillis() == Long.MIN_VALUE ? null : range.fromMillis(),
        range.toMillis() == Long.MAX_VALUE ? null : range.toMillis(),
        range.merchants(),
        state,
        counters,
        range.asOfMillis());
  }

  /** Writes {@value #FILE} into a replay's output directory (a local path or a URL). */
  public void write(String outputDir) throws IOException {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("archive", archive);
    n.put("from", fromMillis == null ? null : EventEncoder.isoUtc(fromMillis));
    n.put("to", toMillis == null ? null : EventEncoder.isoUtc(toMillis));
    merchants.forEach(n.putArray("merchants")::add);
    n.put("as_of", asOfMillis == null ? null : EventEncoder.isoUtc(asOfMillis));
    n.put("state", state);
    ObjectNode c = n.putObject("counters");
    counters.forEach(c::put);
    StoredFiles.writeString(
        StoredFiles.resolve(outputDir, FILE), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n));
  }

  /**
   * The replay's summary block: its books ({@code records in 1,000: 900 facts counted, 60
   * duplicates, 40 dead letters, 0 beyond lateness}), the dead letters by reason, the windows
   * written, and the rows of unreadable files that were lost (their rest is one dead letter per
   * file; the rows it held are counted here).
   */
  public String summary() {
    StringBuilder b = new StringBuilder(String.format(
        "records in %,d: %,d facts counted, %,d duplicates, %,d dead letters, %,d beyond lateness",
        count(ExposureMetrics.RECORDS_IN), count(ExposureMetrics.FACTS_COUNTED), count(ExposureMetrics.DUPLICATES),
        count(ExposureMetrics.DEAD_LETTERS), count(ExposureMetrics.BEYOND_LATENESS)));
    StringBuilder reasons = new StringBuilder();
    counters.forEach((name, n) -> {
      if (name.startsWith(ExposureMetrics.DEAD_LETTER_PREFIX) && n > 0) {
        reasons.append(reasons.length() == 0 ? "" : ", ")
            .append(name.substring(ExposureMetrics.DEAD_LETTER_PREFIX.length())).append(String.format(" %,d", n));
      }
    });
    if (reasons.length() > 0) {
      b.append(String.format("%n  dead letters by reason: ")).append(reasons);
    }
    b.append(String.format("%n  windows written: %,d", count(ExposureMetrics.PROJECTION_ROWS)));
    long lost = count(ArchiveReader.ROWS_LOST);
    if (lost > 0) {
      b.append(String.format(
          "%n  %,d rows of unreadable files lost (the dead letters file.unreadable name each file)", lost));
    }
    return b.toString();
  }

  private long count(String counter) {
    return counters.getOrDefault(counter, 0L);
  }

  /** The manifest of a replay output directory, or null when it has none. */
  public static ReplayManifest read(String outputDir) throws IOException {
    String text = StoredFiles.readString(StoredFiles.resolve(outputDir, FILE));
    if (text == null) {
      return null;
    }
    JsonNode n = Json.parse(text);
    Set<String> merchants = new TreeSet<>();
    n.path("merchants").forEach(m -> merchants.add(m.asText()));
    Map<String, Long> counters = new TreeMap<>();
    n.path("counters").fields().forEachRemaining(e -> counters.put(e.getKey(), e.getValue().asLong()));
    return new ReplayManifest(
        n.path("archive").asText(null),
        millis(n.get("from")),
        millis(n.get("to")),
        merchants,
        n.path("state").asText(null),
        counters,
        millis(n.get("as_of")));
  }

  private static Long millis(JsonNode iso) {
    return iso == null || iso.isNull() ? null : java.time.Instant.parse(iso.asText()).toEpochMilli();
  }
}
