package io.unifiedexposure.pipelines.reconcile;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One piece of evidence about a window: which cause it supports, the record it came from and
 * what it says. {@code deltaMinor} is the exposure the record carries, when it is known.
 */
public final class Evidence {
  public final Cause cause;
  public final String source;
  public final String detail;
  public final @Nullable Long deltaMinor;

  public Evidence(Cause cause, String source, String detail, @Nullable Long deltaMinor) {
    this.cause = cause;
    this.source = source;
    this.detail = detail;
    this.deltaMinor = deltaMinor;
  }

  @Override
  public String toString() {
    return cause.label() + ": " + detail + " (" + source + ")";
  }
}
