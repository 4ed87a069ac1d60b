package io.unifiedexposure.pipelines.format;

import io.unifiedexposure.contract.FactKind;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReferenceContracts;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Merchant limits in the reference archive ({@code <referenceArchive>/merchant_limits/dt=YYYY-MM-DD/},
 * by the day the limit takes effect): the contract's columns ({@code merchant_limit_v1.avsc};
 * effective_from as TIMESTAMP(MILLIS, UTC)) plus where each was received from and when.
 */
public final class MerchantLimitRecords {
  /** The folder under the reference archive. */
  public static final String FOLDER = "merchant_limits";

  private MerchantLimitRecords() {}

  public static Schema schema() {
    return ReferenceRows.schema(ReferenceContracts.merchantLimit(), "MerchantLimitArchiveV1");
  }

  public static GenericRecord toAvro(Schema schema, MerchantLimit l) {
    GenericData.Record g = new GenericData.Record(schema);
    g.put("merchant_id", l.merchantId());
    g.put("reporting_currency", l.reportingCurrency());
    g.put("effective_from", l.effectiveFromMillis());
    g.put("limit_minor", l.limitMinor());
    g.put("version", l.version());
    g.put("schema_version", 1);
    g.put(ArchiveRecords.RECEIVED_AT, l.receivedAtMillis());
    g.put(ArchiveRecords.SOURCE, l.source());
    return g;
  }

  /** An archived row as the record it was. */
  public static RawRecord toRawRecord(GenericRecord row, String archive) {
    return ReferenceRows.toRawRecord(row, archive, ReferenceContracts.merchantLimit(), FactKind.MERCHANT_LIMIT);
  }

  /** The partition of an archived limit: the day it takes effect on. */
  public static String day(GenericRecord row) {
    return io.unifiedexposure.contract.FxRate.dayText((Long) row.get("effective_from"));
  }
}
