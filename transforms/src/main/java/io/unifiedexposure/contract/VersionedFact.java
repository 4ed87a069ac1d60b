package io.unifiedexposure.contract;

/**
 * A reference data fact with versions (an FX rate, a merchant limit): one identity, corrected by a
 * higher version; the same version twice must say the same thing. What the graph's versions rule
 * and lateness rule read of any kind of reference data.
 */
public interface VersionedFact<T extends VersionedFact<T>> {
  int version();

  /** Where it was received from (topic-partition@offset, or archive file#row). */
  String source();

  long receivedAtMillis();

  /** The start of the UTC day whose window closes it: after that day's expiry it is beyond lateness. */
  long dayStartMillis();

  /** Whether both say the same thing of the same identity (where and when received aside). */
  boolean sameFactAs(T other);

  /** What identifies it in a message, e.g. {@code USD 2025-07-01}. */
  String identity();

  /** Its value as a message shows it, e.g. {@code 0.91}. */
  String valueText();

  /** The contract field holding its value, e.g. {@code rate}. */
  String valueField();

  /** As a raw record again, where it was received from and when (for a dead letter). */
  RawRecord toRaw();

  /**
   * Of two copies of one version that say different things, the one that counts, by the rule
   * events' conflicts follow: received first, then the smaller source coordinate. The same on every
   * path whatever order the copies are met in.
   */
  default boolean winsOver(T other) {
    if (receivedAtMillis() != other.receivedAtMillis()) {
      return receivedAtMillis() < other.receivedAtMillis();
    }
    return source().compareTo(other.source()) < 0;
  }
}
