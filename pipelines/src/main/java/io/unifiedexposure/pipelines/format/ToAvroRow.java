package io.unifiedexposure.pipelines.format;

import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;

/** Turns elements into Avro rows of one schema (parsed once per worker) for a Parquet sink. */
public final class ToAvroRow<T> extends DoFn<T, GenericRecord> {
  /** How one element becomes a row of the schema. */
  @FunctionalInterface
  public interface Conversion<T> extends Serializable {
    GenericRecord apply(Schema schema, T element);
  }

  private final String schemaJson;
  private final Conversion<T> conversion;
  private transient Schema schema;

  public ToAvroRow(Schema schema, Conversion<T> conversion) {
    this.schemaJson = schema.toString();
    this.conversion = conversion;
  }

  @Setup
  public void setup() {
    schema = new Schema.Parser().parse(schemaJson);
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<GenericRecord> out) {
    out.output(conversion.apply(schema, element));
  }
}
