package io.unifiedexposure.graph.bounded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The table of first copies answers as a map from event_id to its first reference would. */
class FirstCopiesTest {

  @Test
  void answersAsAMapDoes() {
    assertLikeAMap(new FirstCopies(16), 200_000, 11);
  }

  @Test
  void idsSharingAHashStayApart() {
    // Every id hashes alike: only reading the ids back tells them apart.
    assertLikeAMap(new FirstCopies(4, id -> 42L), 3_000, 12);
  }

  @Test
  void aHashOfZeroIsAnIdLikeAnyOther() {
    assertLikeAMap(new FirstCopies(4, id -> id.length() % 2 == 0 ? 0L : 1L), 2_000, 13);
  }

  /** Ids met in random order, about a third of them again; the table grows from its size. */
  private static void assertLikeAMap(FirstCopies table, int copies, long seed) {
    Random random = new Random(seed);
    List<String> idsByRef = new ArrayList<>();
    Map<String, Long> expected = new HashMap<>();
    for (int ref = 0; ref < copies; ref++) {
      String id = "e-" + random.nextInt(copies * 2 / 3) + (random.nextBoolean() ? "" : "x");
      idsByRef.add(id);
      Long first = expected.putIfAbsent(id, (long) ref);
      long got = table.putIfAbsent(id, ref, r -> idsByRef.get((int) r));
      assertEquals(first == null ? -1L : first, got, "copy " + ref + " of " + id);
    }
    assertEquals(expected.size(), table.size());
  }
}
