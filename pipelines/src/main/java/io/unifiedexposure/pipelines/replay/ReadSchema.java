package io.unifiedexposure.pipelines.replay;

import io.unifiedexposure.pipelines.format.ArchiveRecords;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The Avro schema parquet-avro reads an archive file by: the one it would take anyway (the schema the
 * file was written with, or else the one it derives from the file's columns), with every string read
 * as a {@link String} instead of Avro's {@code Utf8}.
 *
 * <p>With {@code Utf8}, parquet-avro copies a dictionary column's value into a new {@code Utf8} for
 * every row (merchant_id, event_type, currency), and the reader then decodes each one into a string
 * again. As {@link String}, a dictionary value is decoded once per page and shared.
 */
final class ReadSchema {
  /** Where parquet-avro keeps the writer's schema, now and in older files. */
  private static final String[] AVRO_SCHEMA_KEYS = {"parquet.avro.schema", "avro.schema"};

  private ReadSchema() {}

  /** The read schema of a file, from its footer. */
  static Schema of(InputFile file, Configuration conf) throws IOException {
    FileMetaData meta;
    try (ParquetFileReader reader = ParquetFileReader.open(file)) {
      meta = reader.getFooter().getFileMetaData();
    }
    Schema schema = null;
    for (String key : AVRO_SCHEMA_KEYS) {
      String json = meta.getKeyValueMetaData().get(key);
      if (schema == null && json != null) {
        schema = new Schema.Parser().setValidateDefaults(false).parse(json);
      }
    }
    if (schema == null) {
      schema = new AvroSchemaConverter(conf).convert(meta.getSchema());
    }
    return withColumnTypes(withJavaStrings(schema), meta.getSchema());
  }

  /**
   * Marks what parquet-avro's conversion loses, so a value is read as what its column says: a
   * DECIMAL on INT32/INT64 becomes a plain int or long (150000 for 1500.00 at scale 2), a
   * TIMESTAMP(NANOS) a plain long. Such a top-level column's Avro type gets {@link
   * ArchiveRecords#DECIMAL_SCALE} or {@link ArchiveRecords#TIMESTAMP_NANOS} (in place).
   */
  static Schema withColumnTypes(Schema schema, MessageType columns) {
    if (schema.getType() != Schema.Type.RECORD) {
      return schema;
    }
    for (Type column : columns.getFields()) {
      Schema.Field field = schema.getField(column.getName());
      if (field == null || !column.isPrimitive()) {
        continue;
      }
      Schema type = ArchiveRecords.nonNull(field.schema());
      LogicalTypeAnnotation annotation = column.getLogicalTypeAnnotation();
      boolean integer = type.getType() == Schema.Type.LONG || type.getType() == Schema.Type.INT;
      if (integer && annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
        type.addProp(ArchiveRecords.DECIMAL_SCALE,
            ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) annotation).getScale());
      } else if (integer && annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
          && ((LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) annotation).getUnit()
              == LogicalTypeAnnotation.TimeUnit.NANOS) {
        type.addProp(ArchiveRecords.TIMESTAMP_NANOS,
            ((LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) annotation).isAdjustedToUTC());
      }
    }
    return schema;
  }

  /** The schema with every string in it marked to be read as {@link String} (in place). */
  static Schema withJavaStrings(Schema schema) {
    mark(schema, Collections.newSetFromMap(new IdentityHashMap<>()));
    return schema;
  }

  private static void mark(Schema s, Set<Schema> seen) {
    if (!seen.add(s)) {
      return;
    }
    switch (s.getType()) {
      case STRING:
        if (s.getProp(GenericData.STRING_PROP) == null) {
          GenericData.setStringType(s, GenericData.StringType.String);
        }
        break;
      case RECORD:
        s.getFields().forEach(f -> mark(f.schema(), seen));
        break;
      case UNION:
        s.getTypes().forEach(t -> mark(t, seen));
        break;
      case ARRAY:
        mark(s.getElementType(), seen);
        break;
      case MAP:
        mark(s.getValueType(), seen);
        break;
      default:
        break;
    }
  }
}
