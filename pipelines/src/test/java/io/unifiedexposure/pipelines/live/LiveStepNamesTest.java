package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job's steps by full name, against the names every earlier release's savepoints know
 * ({@code live-step-names.txt}). Beam on Flink makes a step's name its operator id, every operator
 * keeps some state, and Flink refuses a savepoint holding state for an id the new job lacks: a step
 * removed or renamed breaks every upgrade from a running job. A step a change adds must be added
 * to the file; one that no longer does anything stays, fed nothing (the archive's retired steps).
 */
class LiveStepNamesTest {
  @TempDir Path dir;

  @Test
  void everyStepAnEarlierReleaseRanIsStillThereUnderItsName() throws IOException {
    LiveOptions live = PipelineOptionsFactory.fromArgs(
        "--bootstrapServers=localhost:9092", "--archive=" + dir.resolve("archive"), "--fxRatesTopic=exposure-fx-rates",
        "--limitsTopic=exposure-merchant-limits")
        .as(LiveOptions.class);
    live.setRunner(FlinkRunner.class);
    Set<String> now = names(LiveExposure.create(live));
    Set<String> known = known();

    List<String> missing = new ArrayList<>();
    for (String name : known) {
      if (!now.contains(name)) {
        missing.add(name);
      }
    }
    List<String> unlisted = new ArrayList<>();
    for (String name : now) {
      if (!known.contains(name)) {
        unlisted.add(name);
      }
    }
    Path current = Path.of("target", "live-step-names.txt").toAbsolutePath();
    Files.write(current, now);
    assertTrue(missing.isEmpty(), "steps earlier savepoints hold state for are gone (restores would be refused): "
        + missing);
    assertTrue(unlisted.isEmpty(), "new steps, add them to live-step-names.txt (the current list: " + current
        + "): " + unlisted);
  }

  private static Set<String> known() throws IOException {
    try (InputStream in = LiveStepNamesTest.class.getResourceAsStream("live-step-names.txt")) {
      Set<String> names = new TreeSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          names.add(line.strip());
        }
      }
      return names;
    }
  }

  private static Set<String> names(Pipeline p) {
    StepNames visitor = new StepNames();
    p.traverseTopologically(visitor);
    return visitor.names;
  }

  /** Every composite and primitive step's full name. */
  private static final class StepNames extends Pipeline.PipelineVisitor.Defaults {
    final Set<String> names = new TreeSet<>();

    @Override
    public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
      if (!node.isRootNode()) {
        names.add(node.getFullName());
      }
      return CompositeBehavior.ENTER_TRANSFORM;
    }

    @Override
    public void visitPrimitiveTransform(TransformHierarchy.Node node) {
      names.add(node.getFullName());
    }
  }
}
