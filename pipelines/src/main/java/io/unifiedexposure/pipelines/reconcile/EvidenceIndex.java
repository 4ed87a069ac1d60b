package io.unifiedexposure.pipelines.reconcile;

import io.unifiedexposure.contract.ProjectionUpsert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence by window (the projection upsert key {@code merchant|currency|windowStartMillis}), and
 * the evidence that names no window (a dead letter without a readable event time, an archive gap
 * whose records Kafka no longer holds).
 */
public final class EvidenceIndex {
  private final Map<String, List<Evidence>> byWindow = new HashMap<>();
  private final List<Evidence> unplaced = new ArrayList<>();

  public EvidenceIndex add(String merchantId, String currency, long windowStartMillis, Evidence e) {
    byWindow.computeIfAbsent(ProjectionUpsert.key(merchantId, currency, windowStartMillis), k -> new ArrayList<>())
        .add(e);
    return this;
  }

  public EvidenceIndex addUnplaced(Evidence e) {
    unplaced.add(e);
    return this;
  }

  public List<Evidence> forWindow(String key) {
    return byWindow.getOrDefault(key, List.of());
  }

  public List<Evidence> unplaced() {
    return unplaced;
  }

  /** How many pieces of evidence support each cause, placed or not. */
  public Map<Cause, Integer> countsByCause() {
    Map<Cause, Integer> c = new java.util.EnumMap<>(Cause.class);
    byWindow.values().forEach(l -> l.forEach(e -> c.merge(e.cause, 1, Integer::sum)));
    unplaced.forEach(e -> c.merge(e.cause, 1, Integer::sum));
    return c;
  }
}
