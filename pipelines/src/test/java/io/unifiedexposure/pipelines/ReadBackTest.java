package io.unifiedexposure.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading back Parquet rows outside Beam, as reconcile reads an archive for its gaps and clock. */
class ReadBackTest {
  @TempDir Path dir;

  @Test
  void aSparkArchiveWithInt96TimestampsIsReadNotRefused() throws Exception {
    MessageType columns = MessageTypeParser.parseMessageType(
        "message spark_schema { required binary merchant_id (UTF8); required int96 event_time; }");
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(
            new org.apache.hadoop.fs.Path(dir.resolve("a/part-0.parquet").toUri()), new Configuration()))
        .withType(columns).build()) {
      for (int i = 0; i < 2; i++) {
        w.write(new SimpleGroupFactory(columns).newGroup().append("merchant_id", "m" + i)
            .append("event_time", Binary.fromConstantByteArray(new byte[12])));
      }
    }
    List<String> rows = new ArrayList<>();
    ReadBack.eachParquetRow(dir.resolve("a").toString(), g -> rows.add(g.get("merchant_id") + " "
        + assertInstanceOf(GenericFixed.class, g.get("event_time")).bytes().length));
    assertEquals(List.of("m0 12", "m1 12"), rows);
  }
}
