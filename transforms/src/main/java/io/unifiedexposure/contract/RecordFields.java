package io.unifiedexposure.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A record's contract fields as the JSON values its wire form would hold, one slot per field in
 * contract order (null: the field is absent): what a source that reads typed rows (the Parquet
 * archive) hands to the graph instead of JSON text ({@link RawRecord#fields()}).
 *
 * <p>The graph validates these values with the same rules as parsed JSON ({@link
 * EventDecoder#decodeFields}), and {@link #toJson} writes the very wire form that would have been
 * parsed into them: so a replay need not write every row as JSON and parse it back, and the text
 * is still there, written on demand, for a record that becomes a dead letter. Only the values JSON
 * text maps to one for one are taken (text, whole numbers, booleans, null: {@link #holds}); a row
 * with any other value is handed over as JSON text.
 */
public final class RecordFields {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NAMES = EventContract.current().fields().keySet().toArray(new String[0]);

  private static final boolean[] ABSENT_WHEN_NULL = new boolean[NAMES.length];

  static {
    for (int slot = 0; slot < NAMES.length; slot++) {
      ABSENT_WHEN_NULL[slot] =
          EventContract.current().fields().get(NAMES[slot]).sinceVersion > EventContract.FIRST_VERSION;
    }
  }

  private RecordFields() {}

  /** How many slots a record has: one per contract field. */
  public static int size() {
    return NAMES.length;
  }

  /** The contract field of a slot. */
  public static String name(int slot) {
    return NAMES[slot];
  }

  /**
   * Whether a slot is absent, not null, when the record has no value for it: the fields added
   * after version 1, whose absence is the earlier versions' form (a typed source hands a null
   * column of such a field over as absent, as the wire form writes it).
   */
  public static boolean absentWhenNull(int slot) {
    return ABSENT_WHEN_NULL[slot];
  }

  /** The slot of a contract field. */
  public static int slot(String name) {
    for (int slot = 0; slot < NAMES.length; slot++) {
      if (NAMES[slot].equals(name)) {
        return slot;
      }
    }
    throw new IllegalArgumentException("not a contract field: " + name);
  }

  /** Whether a value is one this form holds: text, a whole number, a boolean or null. */
  public static boolean holds(@Nullable JsonNode value) {
    // By class, not JsonNode's isTextual() and the like: those ask the node its type through one
    // call site every node kind passes.
    return value == null
        || value instanceof TextNode
        || value instanceof IntNode
        || value instanceof LongNode
        || value instanceof BooleanNode
        || value instanceof NullNode;
  }

  /** The wire form of these values: one JSON object, the present fields in contract order. */
  public static byte[] toJson(List<JsonNode> fields) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try (JsonGenerator json = JSON.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      for (int i = 0; i < NAMES.length; i++) {
        JsonNode v = fields.get(i);
        if (v != null) {
          json.writeFieldName(NAMES[i]);
          JSON.writeTree(json, v);
        }
      }
      json.writeEndObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  /** Encodes the slots with a tag each: absent, null, text, int, long, true, false. */
  static final class Coder extends AtomicCoder<List<JsonNode>> {
    static final Coder INSTANCE = new Coder();
    private static final int ABSENT = 0;
    private static final int NULL = 1;
    private static final int TEXT = 2;
    private static final int INT = 3;
    private static final int LONG = 4;
    private static final int TRUE = 5;
    private static final int FALSE = 6;

    @Override
    public void encode(List<JsonNode> fields, OutputStream out) throws IOException {
      VarIntCoder.of().encode(fields.size(), out);
      for (JsonNode v : fields) {
        if (v == null) {
          out.write(ABSENT);
        } else if (v.isNull()) {
          out.write(NULL);
        } else if (v.isTextual()) {
          out.write(TEXT);
          StringUtf8Coder.of().encode(v.textValue(), out);
        } else if (v.isInt()) {
          out.write(INT);
          VarIntCoder.of().encode(v.intValue(), out);
        } else if (v.isLong()) {
          out.write(LONG);
          VarLongCoder.of().encode(v.longValue(), out);
        } else if (v.isBoolean()) {
          out.write(v.booleanValue() ? TRUE : FALSE);
        } else {
          throw new IllegalArgumentException("not a value RecordFields holds: " + v.getNodeType());
        }
      }
    }

    @Override
    public List<JsonNode> decode(InputStream in) throws IOException {
      int n = VarIntCoder.of().decode(in);
      List<JsonNode> fields = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int tag = in.read();
        switch (tag) {
          case ABSENT:
            fields.add(null);
            break;
          case NULL:
            fields.add(NullNode.instance);
            break;
          case TEXT:
            fields.add(TextNode.valueOf(StringUtf8Coder.of().decode(in)));
            break;
          case INT:
            fields.add(IntNode.valueOf(VarIntCoder.of().decode(in)));
            break;
          case LONG:
            fields.add(LongNode.valueOf(VarLongCoder.of().decode(in)));
            break;
          case TRUE:
            fields.add(BooleanNode.TRUE);
            break;
          case FALSE:
            fields.add(BooleanNode.FALSE);
            break;
          default:
            throw new IOException("unknown field tag " + tag);
        }
      }
      return Collections.unmodifiableList(fields);
    }
  }
}
