package io.unifiedexposure.graph.bounded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.ExposureKey;
import io.unifiedexposure.graph.rules.Contribution;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shard sums give back, after their coder, every (merchant, currency) written and what it adds, in
 * the order written: long and non-ASCII merchant ids, negative and large sums, none at all.
 */
class ShardSumsTest {
  @Test
  void everySumComesBackAfterTheCoder() throws Exception {
    Map<ExposureKey, Contribution> written = new LinkedHashMap<>();
    for (int i = 0; i < 3_000; i++) {
      String merchant = i % 7 == 0 ? "m-ü-" + "x".repeat(i % 64) + i : "merchant-" + i;
      long exposure = i % 3 == 0 ? -((long) i << 33) : i * 1_000_003L;
      written.put(ExposureKey.of(merchant, i % 2 == 0 ? "EUR" : "USD"), Contribution.of(exposure, i % 5 - 1));
    }
    ShardSums.Writer writer = ShardSums.writer();
    written.forEach(writer::add);

    ShardSums back = roundTrip(writer.build());

    assertEquals(written.size(), back.size());
    List<ExposureKey> order = new ArrayList<>();
    back.forEach((key, c) -> order.add(key));
    assertEquals(new ArrayList<>(written.keySet()), order);
    assertEquals(written, back.toMap());
  }

  @Test
  void noSumsComeBackAsNone() throws Exception {
    ShardSums.Writer writer = ShardSums.writer();
    assertTrue(writer.isEmpty());
    ShardSums back = roundTrip(writer.build());
    assertEquals(0, back.size());
    assertTrue(back.toMap().isEmpty());
  }

  private static ShardSums roundTrip(ShardSums sums) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ShardSums.Coder.INSTANCE.encode(sums, bytes);
    // Followed by other bytes, as inside a runner's stream: the coder must read only its own.
    bytes.write(new byte[] {42, 43});
    ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
    ShardSums back = ShardSums.Coder.INSTANCE.decode(in);
    assertEquals(42, in.read());
    return back;
  }
}
