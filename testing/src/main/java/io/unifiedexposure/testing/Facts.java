package io.unifiedexposure.testing;

import io.unifiedexposure.contract.FxRate;

import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.EventType;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.RawRecord;
import java.nio.charset.StandardCharsets;
import org.joda.time.Instant;

/**
 * Builders for facts and raw records, so specs read as stories:
 * {@code Facts.capture("e1", "m1", 500, "EUR").at("2025-07-01T10:00:00Z")}.
 */
public final class Facts {
  private Facts() {}

  public static Builder capture(String eventId, String merchant, long amount, String currency) {
    return new Builder(eventId, merchant, EventType.CAPTURE, amount, currency);
  }

  public static Builder refund(String eventId, String merchant, long amount, String currency) {
    return new Builder(eventId, merchant, EventType.REFUND, amount, currency);
  }

  public static Builder chargeback(String eventId, String merchant, long amount, String currency) {
    return new Builder(eventId, merchant, EventType.CHARGEBACK, amount, currency);
  }

  public static Builder authorization(String eventId, String merchant, long amount, String currency) {
    return new Builder(eventId, merchant, EventType.AUTHORIZATION, amount, currency);
  }

  /** A correction of {@code target}; it carries the target's event time, so it lands in its window. */
  public static Builder correction(
      String eventId, ExposureEvent target, long signedAmount) {
    return new Builder(eventId, target.merchantId(), EventType.CORRECTION, signedAmount, target.currency())
        .corrects(target.eventId())
        .at(target.eventTime());
  }

  /** A raw record carrying {@code event} in its JSON wire form. */
  public static RawRecord raw(ExposureEvent event, String source, long receivedAtMillis) {
    return RawRecord.of(EventEncoder.toJsonBytes(event), source, receivedAtMillis);
  }

  /**
   * An FX rate record as an FX rate source hands it over: {@code rate} reporting-currency units per
   * unit of {@code currency} for the UTC {@code day}.
   */
  public static RawRecord fxRate(
      String currency, String reportingCurrency, String day, String rate, int version, String source, long receivedAtMillis) {
    return FxRate.of(currency, reportingCurrency, FxRate.dayStart(day), new java.math.BigDecimal(rate), version, source, receivedAtMillis)
        .toRaw();
  }

  /** A merchant limit record in EUR taking effect at {@code effectiveFrom} (ISO instant). */
  public static RawRecord limit(
      String merchant, String effectiveFrom, long limitMinor, int version, String source, long receivedAtMillis) {
    return io.unifiedexposure.contract.MerchantLimit.of(merchant, "EUR",
        org.joda.time.Instant.parse(effectiveFrom).getMillis(), limitMinor, version, source, receivedAtMillis).toRaw();
  }

  /** A raw record carrying arbitrary text, for bad-input specs. */
  public static RawRecord rawText(String payload, String source) {
    return RawRecord.of(payload.getBytes(StandardCharsets.UTF_8), source, 0L);
  }

  /** Fluent builder; {@link #build()} returns the event. */
  public static final class Builder {
    private final ExposureEvent.Builder b = ExposureEvent.builder();

    private Builder(String eventId, String merchant, EventType type, long amount, String currency) {
      b.setEventId(eventId)
          .setMerchantId(merchant)
          .setEventType(type)
          .setAmountMinor(amount)
          .setCurrency(currency)
          .setEventTime(new Instant(0));
    }

    public Builder at(String isoInstant) {
      return at(Instant.parse(isoInstant));
    }

    public Builder at(Instant eventTime) {
      b.setEventTime(eventTime);
      return this;
    }

    public Builder corrects(String targetEventId) {
      b.setCorrectsEventId(targetEventId);
      return this;
    }

    public ExposureEvent build() {
      return b.build();
    }
  }
}
