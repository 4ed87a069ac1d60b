package io.unifiedexposure.pipelines.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unifiedexposure.contract.EventContract;
import io.unifiedexposure.contract.EventEncoder;
import io.unifiedexposure.contract.FactKind;
import io.unifiedexposure.contract.RawRecord;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;

/**
 * What every kind of reference data has in its archive: the contract's columns (its Avro schema
 * file's fields) plus where each version was received from and when, as the event archive has them;
 * a row read back is the wire record it was (timestamps as ISO-8601 text), judged by the contract
 * again.
 */
final class ReferenceRows {
  private ReferenceRows() {}

  static Schema schema(EventContract contract, String recordName) {
    Schema parsed = new Schema.Parser().parse(contract.schemaJson());
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(recordName).namespace("io.unifiedexposure.reference").fields();
    for (Schema.Field f : parsed.getFields()) {
      fields = fields.name(f.name()).type(f.schema()).noDefault();
    }
    return fields
        .name(ArchiveRecords.RECEIVED_AT).type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
        .noDefault()
        .requiredString(ArchiveRecords.SOURCE)
        .endRecord();
  }

  static RawRecord toRawRecord(GenericRecord row, String archive, EventContract contract, FactKind kind) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    contract.fields().forEach((field, rule) -> {
      Object v = row.get(field);
      if (v == null) {
        return;
      }
      if (rule.type == EventContract.FieldType.TIMESTAMP && v instanceof Long) {
        n.put(field, EventEncoder.isoUtc((Long) v));
      } else if (v instanceof Integer) {
        n.put(field, (Integer) v);
      } else if (v instanceof Long) {
        n.put(field, (Long) v);
      } else {
        n.put(field, v.toString());
      }
    });
    Object received = row.get(ArchiveRecords.RECEIVED_AT);
    Object source = row.get(ArchiveRecords.SOURCE);
    return RawRecord.ofKind(kind, Json.bytes(n), "reference:" + archive + " (" + source + ")",
        received == null ? 0L : (Long) received);
  }
}
