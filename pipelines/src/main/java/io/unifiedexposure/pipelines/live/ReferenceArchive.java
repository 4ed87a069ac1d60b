package io.unifiedexposure.pipelines.live;

import io.unifiedexposure.contract.FxRate;
import io.unifiedexposure.contract.MerchantLimit;
import io.unifiedexposure.pipelines.format.FxRateRecords;
import io.unifiedexposure.pipelines.format.MerchantLimitRecords;
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
 * Archives every valid reference version the live job read, copies included, to Parquet under
 * {@code <referenceArchive>/<folder>/dt=YYYY-MM-DD/} by its day (an FX rate's day, the day a limit
 * takes effect): what a replay joins its facts with, so that it sees what live saw. Files are cut
 * and written as the event archive's are ({@link ParquetArchive}: within the flush interval,
 * complete or not there).
 *
 * <pre>
 *   To&lt;Kind&gt;Row ─ KeyBy&lt;Kind&gt;Day ─ Cut…OnProcessingTime ─ Group…IntoFiles ─ Write…Files
 * </pre>
 *
 * Each kind's step names are its own and fixed: they are operator ids in live savepoints.
 */
final class ReferenceArchive<T> extends PTransform<PCollection<T>, PDone> {
  private static final int MAX_ROWS_PER_FILE = 100_000;

  private final String folder;
  private final SerializableFunction<Void, Schema> schema;
  private final ToAvroRow.Conversion<T> toAvro;
  private final SerializableFunction<GenericRecord, String> day;
  private final String[] steps;
  private final Duration flushInterval;
  private final String runId;

  private ReferenceArchive(String folder, SerializableFunction<Void, Schema> schema, ToAvroRow.Conversion<T> toAvro,
      SerializableFunction<GenericRecord, String> day, String[] steps, Duration flushInterval, String runId) {
    this.folder = folder;
    this.schema = schema;
    this.toAvro = toAvro;
    this.day = day;
    this.steps = steps;
    this.flushInterval = flushInterval;
    this.runId = runId;
  }

  static ReferenceArchive<FxRate> fxRates(String referenceArchive, Duration flushInterval, String runId) {
    return new ReferenceArchive<>(referenceArchive + "/" + FxRateRecords.FOLDER, v -> FxRateRecords.schema(),
        FxRateRecords::toAvro, FxRateRecords::day,
        new String[] {"ToFxRateRow", "KeyByRateDay", "CutFxRatesOnProcessingTime", "GroupFxRatesIntoFiles",
            "WriteFxRateFiles"},
        flushInterval, runId);
  }

  static ReferenceArchive<MerchantLimit> limits(String referenceArchive, Duration flushInterval, String runId) {
    return new ReferenceArchive<>(referenceArchive + "/" + MerchantLimitRecords.FOLDER,
        v -> MerchantLimitRecords.schema(), MerchantLimitRecords::toAvro, MerchantLimitRecords::day,
        new String[] {"ToLimitRow", "KeyByLimitDay", "CutLimitsOnProcessingTime", "GroupLimitsIntoFiles",
            "WriteLimitFiles"},
        flushInterval, runId);
  }

  @Override
  public PDone expand(PCollection<T> facts) {
    Schema rows = schema.apply(null);
    facts
        .apply(steps[0], ParDo.of(new ToAvroRow<T>(rows, toAvro)))
        .setCoder(AvroCoder.of(rows))
        .apply(steps[1], WithKeys.of(day).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(rows)))
        .apply(steps[2], ParquetArchive.<GenericRecord>cutEvery(flushInterval, MAX_ROWS_PER_FILE))
        .apply(steps[3], GroupByKey.create())
        .apply(steps[4], ParDo.of(WriteArchiveFile.ofRows(folder, rows, runId)));
    return PDone.in(facts.getPipeline());
  }
}
