package io.unifiedexposure.pipelines.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.unifiedexposure.contract.EventDecoder;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.graph.WindowGrid;
import io.unifiedexposure.pipelines.format.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the jobs left behind into evidence placed on windows: beyond-lateness facts, dead
 * letters (conflicting copies apart from the rest) and archive gaps. A record seen twice (a conflict
 * is dead-lettered by the live job and again by the replay) is evidence once.
 */
public final class EvidenceSources {
  public static final String CONFLICT_CODE = "event_id.conflict";
  private static final Pattern KAFKA_COORDINATE = Pattern.compile("kafka:[^\\s)]+");

  private final WindowGrid grid;
  private final EventDecoder decoder = EventDecoder.current();
  private final EvidenceIndex index = new EvidenceIndex();
  private final Set<String> seen = new HashSet<>();

  public EvidenceSources(WindowGrid grid) {
    this.grid = grid;
  }

  public EvidenceIndex index() {
    return index;
  }

  /** A record of the live job's beyond-lateness output (its JSON form). */
  public void beyondLateness(String json) {
    JsonNode n = Json.parse(json);
    String source = n.path("source").asText("?");
    ExposureEvent e = decode(Json.text(n.get("event")));
    if (e == null || !once(Cause.BEYOND_LATENESS, source)) {
      return;
    }
    index.add(e.merchantId(), e.currency(), grid.windowStart(e.eventTime().getMillis()),
        new Evidence(Cause.BEYOND_LATENESS, source,
            describe(e) + " arrived after its window closed (received " + n.path("received_at").asText("?") + ")",
            e.exposureDelta()));
  }

  /** A dead letter: the payload as text, its reason codes ({@code field.rule}) and its source. */
  public void deadLetter(String payload, List<String> codes, String source) {
    Cause cause = codes.contains(CONFLICT_CODE) ? Cause.CONFLICTS : Cause.DEAD_LETTERS;
    if (!once(cause, source)) {
      return;
    }
    ExposureEvent e = decode(payload);
    String detail = cause == Cause.CONFLICTS
        ? "conflicting copy " + (e == null ? "" : describe(e) + " ") + "refused"
        : "refused: " + String.join(", ", codes);
    Evidence evidence = new Evidence(cause, source, detail, e == null ? null : e.exposureDelta());
    if (e != null) {
      index.add(e.merchantId(), e.currency(), grid.windowStart(e.eventTime().getMillis()), evidence);
      return;
    }
    placeLeniently(payload, evidence);
  }

  /** A record found in the input topic at an offset the archive and the dead letters both lack. */
  public void archiveGap(String source, byte[] payload) {
    if (!once(Cause.ARCHIVE_GAP, source)) {
      return;
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    ExposureEvent e = decode(text);
    Evidence evidence =
        new Evidence(Cause.ARCHIVE_GAP, source,
            (e == null ? "a record" : describe(e)) + " is in the input topic but neither archived nor dead-lettered",
            e == null ? null : e.exposureDelta());
    if (e != null) {
      index.add(e.merchantId(), e.currency(), grid.windowStart(e.eventTime().getMillis()), evidence);
    } else {
      placeLeniently(text, evidence);
    }
  }

  /** Missing offsets the input topic no longer holds: a gap that names no window. */
  public void unplacedGap(String what) {
    if (once(Cause.ARCHIVE_GAP, what)) {
      index.addUnplaced(new Evidence(Cause.ARCHIVE_GAP, what,
          "offsets neither archived nor dead-lettered, no longer in the input topic", null));
    }
  }

  /** An invalid record still names its window when merchant, currency and event time are readable. */
  private void placeLeniently(String payload, Evidence evidence) {
    try {
      JsonNode n = Json.parse(payload);
      String merchant = n.path("merchant_id").asText(null);
      String currency = n.path("currency").asText(null);
      String time = n.path("event_time").asText(null);
      if (merchant != null && currency != null && time != null) {
        index.add(merchant, currency, grid.windowStart(EventDecoder.parseEventTime(time)), evidence);
        return;
      }
    } catch (RuntimeException unreadable) {
      // Not JSON, or no readable event time: the evidence names no window.
    }
    index.addUnplaced(evidence);
  }

  private ExposureEvent decode(String json) {
    EventDecoder.Result r = decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    return r.event;
  }

  /**
   * Whether this is the first evidence of a cause from a record. A record is known by its Kafka
   * coordinate when it has one: the replay names a conflicting copy by file and row, followed by
   * the coordinate it was archived from, and the live job by the coordinate alone.
   */
  private boolean once(Cause cause, String source) {
    Matcher kafka = KAFKA_COORDINATE.matcher(source);
    return seen.add(cause + "|" + (kafka.find() ? kafka.group() : source));
  }

  private static String describe(ExposureEvent e) {
    return "event_id '" + e.eventId() + "' (" + e.eventType() + " " + signed(e.exposureDelta()) + " "
        + e.currency() + " at " + EventEncoder.isoUtc(e.eventTime().getMillis()) + ")";
  }

  static String signed(long minor) {
    return (minor > 0 ? "+" : "") + String.format("%,d", minor);
  }
}
