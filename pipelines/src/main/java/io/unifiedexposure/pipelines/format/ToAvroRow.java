package io.unifiedexposure.pipelines.format;

import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Turns elements into Avro rows of one schema (parsed once per worker) for a Parquet sink: as a step
 * of its own, or inside the sink's writer ({@link #inSink}).
 */
public final class ToAvroRow<T> extends DoFn<T, GenericRecord> {
  /** How one element becomes a row of the schema. */
  @FunctionalInterface
  public interface Conversion<T> extends Serializable {
    GenericRecord apply(Schema schema, T element);
  }

  private final Rows<T> rows;

  public ToAvroRow(Schema schema, Conversion<T> conversion) {
    this.rows = new Rows<>(schema.toString(), conversion);
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<GenericRecord> out) {
    out.output(rows.apply(element));
  }

  /**
   * The same conversion, made by the sink's writer ({@code FileIO.write().via(inSink(...), sink)}):
   * whatever the write shuffles on the way (DirectRunner groups a file write's records by shard)
   * moves the elements in their own coder, not as Avro rows, whose coder is several times slower.
   */
  public static <T> Contextful<Contextful.Fn<T, GenericRecord>> inSink(Schema schema, Conversion<T> conversion) {
    return Contextful.fn(new Rows<>(schema.toString(), conversion));
  }

  /** The conversion with its schema, parsed on first use by each deserialized copy (a worker's). */
  private static final class Rows<T> implements SerializableFunction<T, GenericRecord> {
    private final String schemaJson;
    private final Conversion<T> conversion;
    private transient Schema schema;

    Rows(String schemaJson, Conversion<T> conversion) {
      this.schemaJson = schemaJson;
      this.conversion = conversion;
    }

    @Override
    public GenericRecord apply(T element) {
      if (schema == null) {
        schema = new Schema.Parser().parse(schemaJson);
      }
      return conversion.apply(schema, element);
    }
  }
}
