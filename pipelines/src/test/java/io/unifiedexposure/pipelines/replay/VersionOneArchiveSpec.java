package io.unifiedexposure.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ArchiveRecords;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An archive the live job wrote before contract version 2 existed ({@code archives/v1}: 134
 * records of a seeded history with duplicates and a conflict, written by the build of 2026-12-04
 * through {@code ParquetArchive}), with the projections that build's replay gave it
 * ({@code archives/v1-expected-projections.csv}). This build's replay, on either runner, gives the
 * same answer, and its archive schema reads what that archive's schema wrote.
 */
class VersionOneArchiveSpec {
  @TempDir Path dir;

  private static Path resource(String name) throws Exception {
    return Path.of(VersionOneArchiveSpec.class.getResource("/archives/" + name).toURI());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void replaysUnchangedUnderTheVersionTwoReader(String runner) throws Exception {
    List<String> args = new ArrayList<>(List.of("replay", "--archive=" + resource("v1"),
        "--output=" + dir.resolve("out"), "--runner=" + runner, "--progressInterval=PT0S"));
    if (runner.equals("FlinkRunner")) {
      args.addAll(List.of("--flinkMaster=[local]", "--parallelism=2"));
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString());
    TreeSet<String> rows = new TreeSet<>();
    for (var g : ReadBack.parquetRows(dir.resolve("out/projections"))) {
      ProjectionRow r = ProjectionRecords.fromAvro(g);
      rows.add(r.merchantId() + "," + r.currency() + "," + r.windowStart() + "," + r.exposureMinor() + ","
          + r.eventCount());
    }
    List<String> expected = Files.readAllLines(resource("v1-expected-projections.csv"));
    assertEquals(expected.subList(1, expected.size()), new ArrayList<>(rows));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v1"})
  void theArchiveSchemaReadsWhatTheEarlierArchiveWrote(String version) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(resource(version))) {
      files = walk.filter(p -> p.toString().endsWith(".parquet")).collect(Collectors.toList());
    }
    for (Path file : files) {
      try (ParquetFileReader r = ParquetFileReader.open(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        Schema written = new Schema.Parser().parse(
            r.getFooter().getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema"));
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            SchemaCompatibility.checkReaderWriterCompatibility(ArchiveRecords.schema(), written).getType(),
            file.toString());
      }
    }
  }
}
