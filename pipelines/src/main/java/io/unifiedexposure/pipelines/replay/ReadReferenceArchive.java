package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.format.FxRateRecords;
import io.unifiedexposure.pipelines.format.MerchantLimitRecords;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads one kind of reference data from the reference archive ({@code fx_rates/}, {@code
 * merchant_limits/}: {@link FxRateRecords}, {@link MerchantLimitRecords}) as the raw records they
 * were, for the graph to judge by the contract again and join by event time, as live did.
 */
final class ReadReferenceArchive extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String filepattern;
  private final String referenceArchive;
  private final Schema schema;
  private final SerializableBiFunction<GenericRecord, String, RawRecord> toRaw;
  private final BackfillRange range;

  private ReadReferenceArchive(String referenceArchive, String folder, Schema schema,
      SerializableBiFunction<GenericRecord, String, RawRecord> toRaw, BackfillRange range) {
    this.filepattern = filepattern(referenceArchive, folder);
    this.referenceArchive = referenceArchive;
    this.schema = schema;
    this.toRaw = toRaw;
    this.range = range;
  }

  /** The FX rates; of them, those received by the range's {@code --asOf} when it has one. */
  static ReadReferenceArchive fxRates(String referenceArchive, BackfillRange range) {
    return new ReadReferenceArchive(referenceArchive, FxRateRecords.FOLDER, FxRateRecords.schema(),
        FxRateRecords::toRawRecord, range);
  }

  /** The merchant limits; of them, those received by the range's {@code --asOf} when it has one. */
  static ReadReferenceArchive limits(String referenceArchive, BackfillRange range) {
    return new ReadReferenceArchive(referenceArchive, MerchantLimitRecords.FOLDER, MerchantLimitRecords.schema(),
        MerchantLimitRecords::toRawRecord, range);
  }

  /** The files one kind's reader reads. */
  static String filepattern(String referenceArchive, String folder) {
    return referenceArchive + "/" + folder + "/**.parquet";
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply("ReadFiles", ParquetIO.read(schema).from(filepattern))
        .apply("ToRawRecord", ParDo.of(new ToRaw(referenceArchive, toRaw, range)))
        .setCoder(RawRecord.coder());
  }

  static final class ToRaw extends DoFn<GenericRecord, RawRecord> {
    private final String archive;
    private final SerializableBiFunction<GenericRecord, String, RawRecord> toRaw;
    private final BackfillRange range;

    ToRaw(String archive, SerializableBiFunction<GenericRecord, String, RawRecord> toRaw, BackfillRange range) {
      this.archive = archive;
      this.toRaw = toRaw;
      this.range = range;
    }

    @ProcessElement
    public void process(@Element GenericRecord row, OutputReceiver<RawRecord> out) {
      RawRecord raw = toRaw.apply(row, archive);
      if (range.knownAt(raw.receivedAtMillis())) {
        out.output(raw);
      }
    }
  }
}
