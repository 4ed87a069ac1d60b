package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.graph.ExposureMetrics;
import java.io.Serializable;
import java.util.Collections;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The versions rule of a (currency, day)'s rates, for both execution paths: the highest version
 * counts and a lower one is superseded; an identical copy is dropped; two copies of one version with
 * different rates are a conflict, won by {@link FxRate#winsOver} (the same whatever order they are
 * met in), the loser dead-lettered with its reason.
 */
final class RateVersions implements Serializable {
  private final Counter duplicates = ExposureMetrics.counter(ExposureMetrics.FX_RATES_DUPLICATES);
  private final Counter superseded = ExposureMetrics.counter(ExposureMetrics.FX_RATES_SUPERSEDED);
  private final Counter conflicts = ExposureMetrics.counter(ExposureMetrics.FX_RATES_CONFLICTS);

  /** The rate in force after {@code offered} meets {@code inForce}; hands {@code refused} what it refuses. */
  FxRate judge(FxRate offered, @Nullable FxRate inForce, Consumer<DeadLetter> refused) {
    if (inForce == null) {
      return offered;
    }
    if (offered.version() != inForce.version()) {
      superseded.inc();
      return offered.version() > inForce.version() ? offered : inForce;
    }
    if (offered.sameFactAs(inForce)) {
      duplicates.inc();
      return inForce;
    }
    conflicts.inc();
    FxRate winner = offered.winsOver(inForce) ? offered : inForce;
    FxRate loser = winner == offered ? inForce : offered;
    refused.accept(DeadLetter.of(loser.toRaw(), Collections.singletonList(Problem.of(
        "rate",
        "conflict",
        "version " + loser.version() + " of " + loser.currency() + " " + loser.day() + " says " + loser.rate().toPlainString()
            + "; the copy from " + winner.source() + " says " + winner.rate().toPlainString() + " and counts"))));
    return winner;
  }
}
