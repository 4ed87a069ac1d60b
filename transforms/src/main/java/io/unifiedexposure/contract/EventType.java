package io.unifiedexposure.contract;

/**
 * The kinds of fact, and the one place where a fact's exposure delta is defined.
 *
 * <p>CAPTURE and CHARGEBACK add exposure, REFUND removes it, AUTHORIZATION does not move it, and a
 * CORRECTION adds its signed amount.
 */
public enum EventType {
  AUTHORIZATION(0),
  CAPTURE(1),
  REFUND(-1),
  CHARGEBACK(1),
  CORRECTION(1);

  private final int sign;

  EventType(int sign) {
    this.sign = sign;
  }

  /** The exposure delta of a fact of this type carrying {@code amountMinor}. */
  public long exposureDelta(long amountMinor) {
    return sign * amountMinor;
  }

  /** CORRECTION is the only type whose amount is signed (and must be non-zero). */
  public boolean isCorrection() {
    return this == CORRECTION;
  }
}
