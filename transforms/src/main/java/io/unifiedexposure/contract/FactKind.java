package io.unifiedexposure.contract;

/**
 * Which contract a raw record is a fact of. The canonical history is one stream of versioned facts
 * of several kinds; the source that reads a record knows its kind (its topic or archive folder) and
 * says so, and the graph routes each kind to its own decoder.
 */
public enum FactKind {
  /** A payment event or correction ({@code exposure_event_v*.avsc}). */
  EVENT,
  /** A version of an FX rate ({@code fx_rate_v1.avsc}). */
  FX_RATE,
  /** A version of a merchant's exposure limit ({@code merchant_limit_v1.avsc}). */
  MERCHANT_LIMIT
}
