package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.pipelines.format.FxRateRecords;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The FX rates of a reference archive ({@code <referenceArchive>/fx_rates/**.parquet}, {@link
 * FxRateRecords}) as the raw records they were, for the graph to judge by the contract again and join
 * by day. Every rate is read, whatever the replay's range: a rate joins only the days and merchants
 * the replay has facts for, and a reference archive is small.
 */
final class ReadFxRateArchive extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String referenceArchive;

  ReadFxRateArchive(String referenceArchive) {
    this.referenceArchive = referenceArchive;
  }

  /** The files this reads. */
  static String filepattern(String referenceArchive) {
    return referenceArchive + "/" + FxRateRecords.FOLDER + "/**.parquet";
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply("ReadFxRateFiles", ParquetIO.read(FxRateRecords.schema()).from(filepattern(referenceArchive)))
        .apply("ToRawRecord", ParDo.of(new ToRaw(referenceArchive)))
        .setCoder(RawRecord.coder());
  }

  static final class ToRaw extends DoFn<GenericRecord, RawRecord> {
    private final String archive;

    ToRaw(String archive) {
      this.archive = archive;
    }

    @ProcessElement
    public void process(@Element GenericRecord row, OutputReceiver<RawRecord> out) {
      out.output(FxRateRecords.toRawRecord(row, archive));
    }
  }
}
