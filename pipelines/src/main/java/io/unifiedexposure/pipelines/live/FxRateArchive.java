package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.pipelines.format.FxRateRecords;
import io.unifiedexposure.pipelines.format.ToAvroRow;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Archives every valid FX rate the live job read, copies included, to Parquet under {@code
 * <referenceArchive>/fx_rates/dt=YYYY-MM-DD/} by the rate's day ({@link FxRateRecords}): what a
 * replay joins its facts with, so that it sees the rates live saw. Files are cut and written as the
 * event archive's are ({@link ParquetArchive}: within the flush interval, complete or not there).
 *
 * <pre>
 *   ToFxRateRow ─ KeyByRateDay ─ CutFxRatesOnProcessingTime ─ GroupFxRatesIntoFiles ─ WriteFxRateFiles
 * </pre>
 */
final class FxRateArchive extends PTransform<PCollection<FxRate>, PDone> {
  private static final int MAX_ROWS_PER_FILE = 100_000;

  private final String referenceArchive;
  private final Duration flushInterval;
  private final String runId;

  FxRateArchive(String referenceArchive, Duration flushInterval, String runId) {
    this.referenceArchive = referenceArchive;
    this.flushInterval = flushInterval;
    this.runId = runId;
  }

  @Override
  public PDone expand(PCollection<FxRate> rates) {
    Schema schema = FxRateRecords.schema();
    rates
        .apply("ToFxRateRow", ParDo.of(new ToAvroRow<FxRate>(schema, FxRateRecords::toAvro)))
        .setCoder(AvroCoder.of(schema))
        .apply("KeyByRateDay", WithKeys.of(new RateDay()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
        .apply("CutFxRatesOnProcessingTime", ParquetArchive.<GenericRecord>cutEvery(flushInterval, MAX_ROWS_PER_FILE))
        .apply("GroupFxRatesIntoFiles", GroupByKey.create())
        .apply(
            "WriteFxRateFiles",
            ParDo.of(WriteArchiveFile.ofRows(referenceArchive + "/" + FxRateRecords.FOLDER, schema, runId)));
    return PDone.in(rates.getPipeline());
  }

  /** The day an archived rate is for: its partition. */
  static final class RateDay implements SerializableFunction<GenericRecord, String> {
    @Override
    public String apply(GenericRecord r) {
      return r.get("day").toString();
    }
  }
}
