package io.unifiedexposure.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.graph.ExposureGraph;
import io.unifiedexposure.testing.Oracle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark on a tiny data set: it runs every part, its plain-Java pass agrees with the test
 * kit's oracle, and the replay's sums are checked against it. Its rates are printed, never asserted.
 */
class BenchSmokeTest {
  @TempDir Path dir;

  @Test
  void plainPassAgreesWithTheOracle() {
    BenchData data = BenchData.shuffled(5000, 7, 5, 0.05, 3);
    List<Oracle.Copy> copies = new ArrayList<>();
    for (int j = 0; j < data.records; j++) {
      copies.add(new Oracle.Copy(data.record(j), j));
    }
    var grid = ExposureGraph.create().grid();
    Map<String, long[]> plain = BenchData.plainPass(data.materialize(), grid);
    Map<String, long[]> oracle = Oracle.totals(copies, grid);
    assertEquals(oracle.keySet(), plain.keySet());
    oracle.forEach((k, t) -> assertEquals(List.of(t[0], t[1]), List.of(plain.get(k)[0], plain.get(k)[1]), k));
    assertTrue(data.facts < data.records && data.facts > data.records * 0.9, "about 5% duplicates");
  }

  @Test
  void everyPartRunsAndTheReplaySumsMatch() throws Exception {
    BenchOptions options = PipelineOptionsFactory.fromArgs(
            "--events=3000", "--merchantCounts=3", "--days=4", "--replayRunners=DirectRunner",
            "--liveEvents=1500", "--liveSetups=DirectRunner", "--liveSetupSeconds=90", "--latencySetup=DirectRunner",
            "--latencyRates=20", "--latencyOutputs=held", "--latencySeconds=2", "--earlyFiringDelay=PT1S", "--benchDir=" + dir)
        .as(BenchOptions.class);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = Bench.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
    String out = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, out);
    assertTrue(out.contains("replay on DirectRunner") && out.contains("sums match"), out);
    assertTrue(out.contains("floor on DirectRunner (read+decode)") && out.contains("every record decoded"), out);
    assertTrue(out.contains("bare KafkaConsumer") && out.contains("live job, DirectRunner") && out.contains("live/raw"), out);
    Matcher seen = Pattern.compile("(\\d+) of (\\d+) panes seen").matcher(out);
    assertTrue(seen.find(), out);
    assertEquals(seen.group(2), seen.group(1), "every latency probe fact got its early pane: " + out);
  }
}
