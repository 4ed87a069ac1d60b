package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.unifiedexposure.contract.EventContract;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.InstantText;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.contract.RecordFields;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * The Parquet archive contract: the event contract's columns (from {@code exposure_event_v1.avsc})
 * plus {@code received_at} (when the source received the record; the replay's conflict rule reads
 * it) and {@code source} (the original coordinate, e.g. {@code kafka:payments/3@1042}).
 *
 * <p>Reading is by column name, so files written by Spark, DuckDB or pyarrow replay as long as they
 * carry the contract's columns: any column order, extra columns ignored, TIMESTAMP in millis or
 * micros (UTC-adjusted) or Spark's legacy INT96. A row's contract columns are handed to the graph
 * as the values of its JSON wire form and validated by the same rules as any Kafka record, so a
 * bad row becomes a dead letter naming its file and row (with that wire form as its payload), never
 * a crash.
 */
public final class ArchiveRecords {
  public static final String RECEIVED_AT = "received_at";
  public static final String SOURCE = "source";
  private static final long MICROS_PER_MILLI = 1000L;
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  private ArchiveRecords() {}

  /** The archive's Avro schema, derived from the contract schema. */
  public static Schema schema() {
    Schema contract = new Schema.Parser().parse(EventContract.v1().schemaJson());
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : contract.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    fields.add(new Schema.Field(RECEIVED_AT, millis, "When the source received the record (UTC).", null));
    fields.add(
        new Schema.Field(
            SOURCE, Schema.create(Schema.Type.STRING), "Where the record was received.", null));
    return Schema.createRecord(
        "ExposureArchiveV1", contract.getDoc(), contract.getNamespace(), false, fields);
  }

  /** A valid record as received, in archive form. */
  public static GenericRecord toArchive(Schema schema, ReceivedEvent received) {
    return toArchive(schema, received.event(), received.raw().receivedAtMillis(), received.raw().source());
  }

  /** An event in archive form, with when and where it was received. */
  public static GenericRecord toArchive(Schema schema, ExposureEvent e, long receivedAtMillis, String source) {
    GenericData.Record r = new GenericData.Record(schema);
    r.put("event_id", e.eventId());
    r.put("merchant_id", e.merchantId());
    r.put("event_type", e.eventType().name());
    r.put("amount_minor", e.amountMinor());
    r.put("currency", e.currency());
    r.put("event_time", e.eventTime().getMillis());
    r.put("corrects_event_id", e.correctsEventId());
    r.put("schema_version", e.schemaVersion());
    r.put(RECEIVED_AT, receivedAtMillis);
    r.put(SOURCE, source);
    return r;
  }

  /**
   * An archive row as the graph's raw record, with the file and row as its source coordinate: the
   * contract's columns as the values its JSON wire form would hold ({@link RawRecord#ofFields}), so
   * the graph validates them by the contract's rules without the row being written out as JSON and
   * parsed back. Values of the wrong type are carried over as they are, so the validator names the
   * problem; a row with a value JSON text would not give back as it is (a floating-point number)
   * is handed over as its JSON text instead. For one row: a reader keeps one {@link Layout} per
   * file instead of finding the columns again for every row.
   */
  public static RawRecord toRawRecord(GenericRecord row, String file, long rowIndex) {
    return layout(row.getSchema()).toRawRecord(row, file, rowIndex);
  }

  /** Where a file's schema holds the archive's columns, found once for all its rows. */
  public static Layout layout(Schema schema) {
    return new Layout(schema);
  }

  /**
   * The archive's columns in one file schema, by position, with their types unwrapped from
   * nullable unions. A reader looks columns up by name and inspects their types once per file
   * instead of once per row and column.
   */
  public static final class Layout {
    private final Schema schema;
    private final int[] slots = new int[RecordFields.size()];
    private final Schema[] slotSchemas = new Schema[RecordFields.size()];
    private final int eventTimeSlot = RecordFields.slot("event_time");
    private final int merchantSlot = RecordFields.slot("merchant_id");
    private final boolean eventTimeUtc;
    /** A UTC event time column in micros (else millis), known once per file rather than per row. */
    private final boolean eventTimeMicros;
    private final int receivedAt;
    private final Schema receivedAtSchema;
    private final int source;

    private Layout(Schema schema) {
      this.schema = schema;
      for (int slot = 0; slot < slots.length; slot++) {
        Schema.Field f = schema.getField(RecordFields.name(slot));
        slots[slot] = f == null ? -1 : f.pos();
        slotSchemas[slot] = f == null ? null : nonNull(f.schema());
      }
      eventTimeUtc = slotSchemas[eventTimeSlot] != null && isUtcTimestamp(slotSchemas[eventTimeSlot]);
      eventTimeMicros = eventTimeUtc && isMicros(slotSchemas[eventTimeSlot]);
      Schema.Field r = schema.getField(RECEIVED_AT);
      receivedAt = r == null ? -1 : r.pos();
      receivedAtSchema = r == null ? null : r.schema();
      Schema.Field src = schema.getField(SOURCE);
      source = src == null ? -1 : src.pos();
    }

    /** Whether this layout is the one of rows with that schema. */
    public boolean describes(Schema rowSchema) {
      return rowSchema == schema;
    }

    /** See {@link ArchiveRecords#toRawRecord}. */
    public RawRecord toRawRecord(GenericRecord row, String file, long rowIndex) {
      return toRawRecord(row, file, rowIndex, eventTimeMillis(row));
    }

    /**
     * See {@link ArchiveRecords#toRawRecord}; for a reader that already took the row's {@link
     * #eventTimeMillis} (to select it), so it is not read out of the row twice.
     */
    public RawRecord toRawRecord(GenericRecord row, String file, long rowIndex, Long eventTimeMillis) {
      List<JsonNode> fields = new ArrayList<>(slots.length);
      boolean typed = true;
      for (int slot = 0; slot < slots.length; slot++) {
        Long eventTime = slot == eventTimeSlot ? eventTimeMillis : null;
        JsonNode value =
            eventTime != null
                ? InstantText.of(eventTime)
                : slots[slot] < 0 ? null : valueNode(RecordFields.name(slot), slotSchemas[slot], row.get(slots[slot]));
        typed &= RecordFields.holds(value);
        fields.add(value);
      }
      long receivedAtMillis = 0L;
      if (receivedAt >= 0 && row.get(receivedAt) instanceof Long) {
        receivedAtMillis = timestampMillis(receivedAtSchema, (Long) row.get(receivedAt));
      }
      String where = "file:" + file + "#" + rowIndex;
      if (source >= 0 && row.get(source) != null) {
        where = where + " (" + row.get(source) + ")";
      }
      return typed
          ? RawRecord.ofFields(fields, where, receivedAtMillis)
          : RawRecord.of(RecordFields.toJson(fields), where, receivedAtMillis);
    }

    /** The event time of a row in epoch millis, or null when the row has no readable one. */
    public Long eventTimeMillis(GenericRecord row) {
      int pos = slots[eventTimeSlot];
      if (pos < 0) {
        return null;
      }
      Object v = row.get(pos);
      if (v instanceof Long && eventTimeUtc) {
        long value = (Long) v;
        return eventTimeMicros ? Math.floorDiv(value, MICROS_PER_MILLI) : value;
      }
      if (v instanceof GenericFixed && ((GenericFixed) v).bytes().length == 12) {
        return int96Millis(((GenericFixed) v).bytes());
      }
      return null;
    }

    /** The merchant of a row as text, or null. */
    public String merchantId(GenericRecord row) {
      Object v = slots[merchantSlot] < 0 ? null : row.get(slots[merchantSlot]);
      return v == null ? null : v.toString();
    }
  }

  /** A column's value as the JSON value the wire form carries for it. */
  private static JsonNode valueNode(String name, Schema schema, Object v) {
    Schema s = nonNull(schema);
    if (v == null) {
      return NullNode.instance;
    } else if ("event_time".equals(name) && v instanceof Long && isLocalTimestamp(s)) {
      // Not UTC-adjusted: written without a zone, so the validator refuses it by name.
      return TextNode.valueOf(java.time.LocalDateTime.ofEpochSecond(
          Math.floorDiv(timestampMillis(s, (Long) v), 1000L), 0, java.time.ZoneOffset.UTC).toString());
    } else if (v instanceof GenericFixed && ((GenericFixed) v).bytes().length == 12) {
      return TextNode.valueOf(EventEncoder.isoUtc(int96Millis(((GenericFixed) v).bytes())));
    } else if (v instanceof Long) {
      return LongNode.valueOf((Long) v);
    } else if (v instanceof Integer) {
      return IntNode.valueOf((Integer) v);
    } else if (v instanceof Double || v instanceof Float) {
      return DoubleNode.valueOf(((Number) v).doubleValue());
    } else if (v instanceof Boolean) {
      return BooleanNode.valueOf((Boolean) v);
    } else if (v instanceof ByteBuffer) {
      return TextNode.valueOf(StandardCharsets.UTF_8.decode(((ByteBuffer) v).duplicate()).toString());
    } else {
      return TextNode.valueOf(v.toString());
    }
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema branch : s.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return branch;
        }
      }
    }
    return s;
  }

  private static boolean isUtcTimestamp(Schema s) {
    LogicalType t = nonNull(s).getLogicalType();
    return t instanceof LogicalTypes.TimestampMillis || t instanceof LogicalTypes.TimestampMicros;
  }

  private static boolean isLocalTimestamp(Schema s) {
    LogicalType t = nonNull(s).getLogicalType();
    return t instanceof LogicalTypes.LocalTimestampMillis || t instanceof LogicalTypes.LocalTimestampMicros;
  }

  private static long timestampMillis(Schema s, long value) {
    return isMicros(s) ? Math.floorDiv(value, MICROS_PER_MILLI) : value;
  }

  private static boolean isMicros(Schema s) {
    LogicalType t = nonNull(s).getLogicalType();
    return t instanceof LogicalTypes.TimestampMicros || t instanceof LogicalTypes.LocalTimestampMicros;
  }

  /** Spark's legacy INT96: 8 bytes little-endian nanos of day, then 4 bytes little-endian Julian day. */
  private static long int96Millis(byte[] b) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buf.getLong();
    long julianDay = buf.getInt() & 0xFFFFFFFFL;
    return (julianDay - JULIAN_EPOCH_DAY) * 86_400_000L + nanosOfDay / 1_000_000L;
  }
}
