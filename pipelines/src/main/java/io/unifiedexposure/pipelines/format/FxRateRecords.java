package io.unifiedexposure.pipelines.format;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReferenceContracts;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * FX rates in the reference archive ({@code <referenceArchive>/fx_rates/dt=YYYY-MM-DD/}, by the
 * rate's day): the contract's columns ({@code fx_rate_v1.avsc}: currency, reporting_currency, day,
 * rate as exact decimal text, version, schema_version) plus where each was received from and when,
 * as the event archive has them. Any writer of that schema (Spark, DuckDB, pyarrow) makes an archive
 * a replay reads; a row is read back as the record it was and judged by the contract again.
 */
public final class FxRateRecords {
  public static final String SOURCE = ArchiveRecords.SOURCE;
  public static final String RECEIVED_AT = ArchiveRecords.RECEIVED_AT;
  /** The folder under the reference archive. */
  public static final String FOLDER = "fx_rates";

  private FxRateRecords() {}

  public static Schema schema() {
    return ReferenceRows.schema(ReferenceContracts.fxRate(), "FxRateArchiveV1");
  }

  public static GenericRecord toAvro(Schema schema, FxRate r) {
    GenericData.Record g = new GenericData.Record(schema);
    g.put("currency", r.currency());
    g.put("reporting_currency", r.reportingCurrency());
    g.put("day", r.day());
    g.put("rate", r.rate().toPlainString());
    g.put("version", r.version());
    g.put("schema_version", 1);
    g.put(RECEIVED_AT, r.receivedAtMillis());
    g.put(SOURCE, r.source());
    return g;
  }

  /**
   * An archived row as the record it was: its contract fields in the wire form, from where it was
   * first received (named with the archive it was read back from), when.
   */
  public static RawRecord toRawRecord(GenericRecord row, String archive) {
    return ReferenceRows.toRawRecord(row, archive, ReferenceContracts.fxRate(), io.unifiedexposure.contract.FactKind.FX_RATE);
  }

  /** The partition of an archived rate: its day. */
  public static String day(GenericRecord row) {
    return row.get("day").toString();
  }
}
