package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.unifiedexposure.contract.EventContract;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.ExposureEvent;
import io.unifiedexposure.contract.InstantText;
import io.unifiedexposure.contract.Problem;
import io.unifiedexposure.contract.RawRecord;
import io.unifiedexposure.contract.ReceivedEvent;
import io.unifiedexposure.contract.RecordFields;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * The Parquet archive contract: the event contract's columns (from {@code exposure_event_v1.avsc})
 * plus {@code received_at} (when the source received the record; the replay's conflict rule reads
 * it) and {@code source} (the original coordinate, e.g. {@code kafka:payments/3@1042}).
 *
 * <p>Reading is by column name, so files written by Spark, DuckDB or pyarrow replay as long as they
 * carry the contract's columns: any column order, extra columns ignored. A row's contract columns
 * are handed to the graph as the values of its JSON wire form and validated by the same rules as
 * any Kafka record, so a bad row becomes a dead letter naming its file and row (with that wire form
 * as its payload), never a crash. One typed-value rule maps a column to the value JSON would carry:
 * <ul>
 *   <li>strings (and binary columns holding UTF-8 text) as text; binary that is not UTF-8 refused
 *       ({@code <field>.invalid_utf8});
 *   <li>INT32/INT64 as whole numbers; DECIMAL of any physical type by its scale, as a whole
 *       number when it has no fraction (1500.00 is 1500), else as the fraction it is, which the
 *       contract refuses ({@code amount_minor.wrong_type}) rather than lose minor units;
 *   <li>TIMESTAMP in millis, micros or nanos, UTC-adjusted, and Spark's legacy INT96, as the
 *       instant; a zone-less (local) timestamp as zone-less text, which the contract refuses;
 *   <li>floating point as a JSON number with a fraction, booleans as booleans, structs, maps and
 *       lists as JSON objects and arrays: refused wherever the contract wants a string or a
 *       whole number, as their JSON would be.
 * </ul>
 */
public final class ArchiveRecords {
  public static final String RECEIVED_AT = "received_at";
  public static final String SOURCE = "source";
  /**
   * Set by the reader ({@code ReadSchema}) on an int or long read from a Parquet DECIMAL column:
   * its scale, which parquet-avro's conversion drops.
   */
  public static final String DECIMAL_SCALE = "exposure.decimalScale";
  /**
   * Set by the reader on a long read from a Parquet TIMESTAMP(NANOS) column: whether it is
   * UTC-adjusted. parquet-avro reads such a column as a plain long.
   */
  public static final String TIMESTAMP_NANOS = "exposure.timestampNanosUtc";
  private static final long MICROS_PER_MILLI = 1000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** What a binary column that is not UTF-8 text becomes; the row is refused naming the column. */
  private static final TextNode NOT_UTF8 = new TextNode("\uFFFD");
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  private ArchiveRecords() {}

  /** The archive's Avro schema, derived from the contract schema. */
  public static Schema schema() {
    Schema contract = new Schema.Parser().parse(EventContract.current().schemaJson());
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
    r.put("acquirer_reference", e.acquirerReference());
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
    /** Each slot's DECIMAL scale, or null: known once per file, not looked up per row and column. */
    private final Integer[] decimalScales = new Integer[RecordFields.size()];
    private final int eventTimeSlot = RecordFields.slot("event_time");
    private final int merchantSlot = RecordFields.slot("merchant_id");
    private final int currencySlot = RecordFields.slot("currency");
    private final boolean eventTimeUtc;
    /** A UTC event time column's units per milli (1, 1000 or 10^6), known once per file rather than per row. */
    private final long eventTimeUnitsPerMilli;
    private final int receivedAt;
    private final Schema receivedAtSchema;
    private final int source;

    private Layout(Schema schema) {
      this.schema = schema;
      for (int slot = 0; slot < slots.length; slot++) {
        Schema.Field f = schema.getField(RecordFields.name(slot));
        slots[slot] = f == null ? -1 : f.pos();
        slotSchemas[slot] = f == null ? null : nonNull(f.schema());
        decimalScales[slot] = f == null ? null : decimalScale(slotSchemas[slot]);
      }
      eventTimeUtc = slotSchemas[eventTimeSlot] != null && isUtcTimestamp(slotSchemas[eventTimeSlot]);
      eventTimeUnitsPerMilli = eventTimeUtc ? unitsPerMilli(slotSchemas[eventTimeSlot]) : 1L;
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
      Problem notText = null;
      for (int slot = 0; slot < slots.length; slot++) {
        Long eventTime = slot == eventTimeSlot ? eventTimeMillis : null;
        JsonNode value =
            eventTime != null
                ? InstantText.of(eventTime)
                : slots[slot] < 0 ? null : slotValue(slot, row.get(slots[slot]));
        if (value instanceof NullNode && RecordFields.absentWhenNull(slot)) {
          value = null; // a later version's field left empty: absent, as the wire form has it
        }
        if (value == NOT_UTF8 && notText == null) {
          notText = Problem.of(RecordFields.name(slot), "invalid_utf8", "binary column is not UTF-8 text");
        }
        typed &= RecordFields.holds(value);
        fields.add(value);
      }
      Long received = receivedAtMillis(row);
      long receivedAtMillis = received == null ? 0L : received;
      String where = "file:" + file + "#" + rowIndex;
      if (source >= 0 && row.get(source) != null) {
        where = where + " (" + row.get(source) + ")";
      }
      if (notText != null) {
        return RawRecord.unreadable(RecordFields.toJson(fields), where, receivedAtMillis, notText);
      }
      return typed
          ? RawRecord.ofFields(fields, where, receivedAtMillis)
          : RawRecord.of(RecordFields.toJson(fields), where, receivedAtMillis);
    }

    /** A slot's value in this file's layout: by its DECIMAL scale, else by {@link #scalar}. */
    private JsonNode slotValue(int slot, Object v) {
      Integer scale = decimalScales[slot];
      return v != null && scale != null
          ? decimalNode(scale, v)
          : scalar(RecordFields.name(slot), slotSchemas[slot], v);
    }

    /** When the source received the row, in epoch millis, or null when the file does not say. */
    public Long receivedAtMillis(GenericRecord row) {
      return receivedAt >= 0 && row.get(receivedAt) instanceof Long at ? timestampMillis(receivedAtSchema, at) : null;
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
        return eventTimeUnitsPerMilli == 1L ? value : Math.floorDiv(value, eventTimeUnitsPerMilli);
      }
      if (v instanceof GenericFixed && ((GenericFixed) v).bytes().length == 12) {
        return int96Millis(((GenericFixed) v).bytes());
      }
      return null;
    }

    /** The merchant of a row as text, or null. */
    public String merchantId(GenericRecord row) {
      return text(merchantSlot, row);
    }

    /** The row's currency as written, or null. */
    public String currency(GenericRecord row) {
      return text(currencySlot, row);
    }

    private String text(int slot, GenericRecord row) {
      Object v = slots[slot] < 0 ? null : row.get(slots[slot]);
      return v == null ? null : v.toString();
    }
  }

  /** A column's value as the JSON value the wire form carries for it (see the class comment). */
  private static JsonNode valueNode(String name, Schema schema, Object v) {
    Integer scale = decimalScale(nonNull(schema));
    return v != null && scale != null ? decimalNode(scale, v) : scalar(name, schema, v);
  }

  /** {@link #valueNode} for a column that is not a DECIMAL. */
  private static JsonNode scalar(String name, Schema schema, Object v) {
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
      return utf8(((ByteBuffer) v).duplicate());
    } else if (v instanceof GenericFixed) {
      return utf8(ByteBuffer.wrap(((GenericFixed) v).bytes()));
    } else if (v instanceof CharSequence || v instanceof GenericEnumSymbol) {
      return TextNode.valueOf(v.toString());
    } else {
      return structure(v);
    }
  }

  /** A DECIMAL's exact value: a whole number when it has no fraction, else the fraction it is. */
  private static JsonNode decimalNode(int scale, Object v) {
    BigInteger unscaled;
    if (v instanceof Long || v instanceof Integer) {
      unscaled = BigInteger.valueOf(((Number) v).longValue());
    } else if (v instanceof ByteBuffer) {
      ByteBuffer b = ((ByteBuffer) v).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      unscaled = bytes.length == 0 ? BigInteger.ZERO : new BigInteger(bytes);
    } else if (v instanceof GenericFixed) {
      unscaled = new BigInteger(((GenericFixed) v).bytes());
    } else {
      return structure(v);
    }
    BigDecimal value = new BigDecimal(unscaled, scale);
    try {
      return LongNode.valueOf(value.longValueExact());
    } catch (ArithmeticException fractionOrTooLarge) {
      return DecimalNode.valueOf(value);
    }
  }

  /** UTF-8 text as text; anything else as {@link #NOT_UTF8}. */
  private static JsonNode utf8(ByteBuffer bytes) {
    try {
      return TextNode.valueOf(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString());
    } catch (CharacterCodingException e) {
      return NOT_UTF8;
    }
  }

  /** A struct, map or list as the JSON object or array it would be on the wire. */
  private static JsonNode structure(Object v) {
    if (v instanceof GenericRecord) {
      GenericRecord r = (GenericRecord) v;
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (Schema.Field f : r.getSchema().getFields()) {
        o.set(f.name(), valueNode(f.name(), f.schema(), r.get(f.pos())));
      }
      return o;
    } else if (v instanceof Map) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      ((Map<?, ?>) v).forEach((k, x) -> o.set(String.valueOf(k), plain(x)));
      return o;
    } else if (v instanceof Collection) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      ((Collection<?>) v).forEach(x -> a.add(plain(x)));
      return a;
    }
    return TextNode.valueOf(String.valueOf(v));
  }

  /** A value inside a map or list, whose schema the caller does not pass. */
  private static JsonNode plain(Object x) {
    return valueNode("", Schema.create(Schema.Type.NULL), x);
  }

  /** The scale of a DECIMAL column (Avro's logical type, or the reader's {@link #DECIMAL_SCALE}), or null. */
  private static Integer decimalScale(Schema s) {
    if (s.getLogicalType() instanceof LogicalTypes.Decimal) {
      return ((LogicalTypes.Decimal) s.getLogicalType()).getScale();
    }
    Object scale = s.getObjectProp(DECIMAL_SCALE);
    return scale instanceof Number ? ((Number) scale).intValue() : null;
  }

  /** A nullable union's other branch; any other schema as it is. */
  public static Schema nonNull(Schema s) {
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
    return t instanceof LogicalTypes.TimestampMillis || t instanceof LogicalTypes.TimestampMicros
        || Boolean.TRUE.equals(nonNull(s).getObjectProp(TIMESTAMP_NANOS));
  }

  private static boolean isLocalTimestamp(Schema s) {
    LogicalType t = nonNull(s).getLogicalType();
    return t instanceof LogicalTypes.LocalTimestampMillis || t instanceof LogicalTypes.LocalTimestampMicros
        || Boolean.FALSE.equals(nonNull(s).getObjectProp(TIMESTAMP_NANOS));
  }

  private static long timestampMillis(Schema s, long value) {
    return Math.floorDiv(value, unitsPerMilli(s));
  }

  /** Units of a timestamp column per millisecond: 1 (millis), 1000 (micros) or 10^6 (nanos). */
  private static long unitsPerMilli(Schema s) {
    LogicalType t = nonNull(s).getLogicalType();
    if (t instanceof LogicalTypes.TimestampMicros || t instanceof LogicalTypes.LocalTimestampMicros) {
      return MICROS_PER_MILLI;
    }
    return nonNull(s).getObjectProp(TIMESTAMP_NANOS) != null ? NANOS_PER_MILLI : 1L;
  }

  /** Spark's legacy INT96: 8 bytes little-endian nanos of day, then 4 bytes little-endian Julian day. */
  private static long int96Millis(byte[] b) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buf.getLong();
    long julianDay = buf.getInt() & 0xFFFFFFFFL;
    return (julianDay - JULIAN_EPOCH_DAY) * 86_400_000L + nanosOfDay / 1_000_000L;
  }
}
