package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.DeadLetter;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.VersionedFact;
import io.unifiedexposure.graph.ExposureMetrics;
import java.io.Serializable;
import java.util.Collections;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The versions rule of reference data, for every kind and both execution paths: of the versions
 * of one identity (an FX rate's currency and day, a limit's merchant and effective_from) the
 * highest counts and a lower one is superseded; an identical copy is dropped; two copies of one
 * version that say different things are a conflict, won by {@link VersionedFact#winsOver} (the
 * same whatever order they are met in), the loser dead-lettered with its reason.
 */
final class FactVersions<T extends VersionedFact<T>> implements Serializable {
  private final Counter duplicates;
  private final Counter superseded;
  private final Counter conflicts;

  private FactVersions(String duplicates, String superseded, String conflicts) {
    this.duplicates = ExposureMetrics.counter(duplicates);
    this.superseded = ExposureMetrics.counter(superseded);
    this.conflicts = ExposureMetrics.counter(conflicts);
  }

  static FactVersions<io.unifiedexposure.contract.FxRate> ofRates() {
    return new FactVersions<>(
        ExposureMetrics.FX_RATES_DUPLICATES, ExposureMetrics.FX_RATES_SUPERSEDED, ExposureMetrics.FX_RATES_CONFLICTS);
  }

  static FactVersions<io.unifiedexposure.contract.MerchantLimit> ofLimits() {
    return new FactVersions<>(
        ExposureMetrics.LIMITS_DUPLICATES, ExposureMetrics.LIMITS_SUPERSEDED, ExposureMetrics.LIMITS_CONFLICTS);
  }

  /** The version in force after {@code offered} meets {@code inForce}; hands {@code refused} what it refuses. */
  T judge(T offered, @Nullable T inForce, Consumer<DeadLetter> refused) {
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
    T winner = offered.winsOver(inForce) ? offered : inForce;
    T loser = winner == offered ? inForce : offered;
    refused.accept(DeadLetter.of(loser.toRaw(), Collections.singletonList(Problem.of(
        loser.valueField(),
        "conflict",
        "version " + loser.version() + " of " + loser.identity() + " says " + loser.valueText()
            + "; the copy from " + winner.source() + " says " + winner.valueText() + " and counts"))));
    return winner;
  }
}
