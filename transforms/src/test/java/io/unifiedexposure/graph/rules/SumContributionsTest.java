package io.unifiedexposure.graph.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The window stage's sums. An accumulator is state on FlinkRunner, and the live job's heap state
 * shares it with a checkpoint still being written: adding to it must leave the one given unchanged.
 */
class SumContributionsTest {
  private final SumContributions fn = new SumContributions();

  @Test
  void addingMakesANewAccumulatorAndLeavesTheGivenOneAsItWas() {
    long[] held = fn.addInput(fn.createAccumulator(), Contribution.of(1_000, 1));
    long[] asCheckpointed = held.clone();

    long[] next = fn.addInput(held, Contribution.of(-250, 2));

    assertNotSame(held, next);
    assertArrayEquals(asCheckpointed, held, "the accumulator handed in was changed in place");
    assertEquals(Contribution.of(750, 3), fn.extractOutput(next));
  }

  @Test
  void mergingLeavesItsInputsAsTheyWere() {
    long[] a = {100, 1};
    long[] b = {-40, 2};

    long[] merged = fn.mergeAccumulators(List.of(a, b));

    assertArrayEquals(new long[] {100, 1}, a);
    assertArrayEquals(new long[] {-40, 2}, b);
    assertEquals(Contribution.of(60, 3), fn.extractOutput(merged));
  }
}
