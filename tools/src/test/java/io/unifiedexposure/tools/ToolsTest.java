package io.unifiedexposure.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.pipelines.reconcile.ReconcileOptions;
import io.unifiedexposure.pipelines.replay.ReplayOptions;
import io.unifiedexposure.tools.bench.BenchOptions;
import io.unifiedexposure.tools.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The tools jar's command line: its own commands, and the production jar's through it. */
class ToolsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Tools.run(
        args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /**
   * Beam gives options of one name one default across every interface a JVM has registered, and the
   * demo runs every command in one JVM: the commands' options must agree wherever they share a name.
   */
  @Test
  void everyCommandsOptionsCoexistInOneJvm() {
    List<Class<? extends PipelineOptions>> all = List.of(LiveOptions.class, ReplayOptions.class,
        ReconcileOptions.class, Demo.DemoOptions.class, BenchOptions.class);
    all.forEach(PipelineOptionsFactory::register);
    for (Class<? extends PipelineOptions> c : all) {
      assertTrue(c.isInstance(PipelineOptionsFactory.fromArgs().as(c)), c.getName());
    }
  }

  @Test
  void demoAndBenchExplainTheirFlags() throws Exception {
    assertEquals(0, run("demo", "--help"));
    assertTrue(out.toString().contains("--factCount"), out.toString());
    assertEquals(0, run("bench", "--help"));
    assertTrue(out.toString().contains("--liveEvents"), out.toString());
  }

  @Test
  void otherCommandsAreTheProductionJars() throws Exception {
    assertEquals(0, run("replay", "--help"));
    assertTrue(out.toString().contains("--merchants"), out.toString());
    assertEquals(2, run("nonsense"));
    assertTrue(err.toString().contains("unknown command 'nonsense'"), err.toString());
  }
}
