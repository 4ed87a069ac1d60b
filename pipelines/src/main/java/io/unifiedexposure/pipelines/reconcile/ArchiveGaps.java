package io.unifiedexposure.pipelines.reconcile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holes in the archive: every input record is either archived (valid) or dead-lettered (invalid),
 * so an offset of the input topic that is in neither, between the topic's first offset and the
 * last offset either of them holds, was lost on the way to the archive. Offsets after the last one
 * seen may simply not be processed yet and are not gaps.
 */
public final class ArchiveGaps {
  /** One run of missing offsets of a partition, {@code [from, to)}. */
  public static final class Gap {
    public final int partition;
    public final long from;
    public final long to;

    Gap(int partition, long from, long to) {
      this.partition = partition;
      this.from = from;
      this.to = to;
    }

    public long size() {
      return to - from;
    }

    @Override
    public String toString() {
      return "partition " + partition + " offsets [" + from + ", " + to + ")";
    }
  }

  private final Map<Integer, long[]> offsets = new TreeMap<>();
  private final Map<Integer, Integer> sizes = new TreeMap<>();

  /** Records that an input offset is accounted for (archived or dead-lettered). */
  public void seen(int partition, long offset) {
    long[] a = offsets.computeIfAbsent(partition, p -> new long[1024]);
    int n = sizes.getOrDefault(partition, 0);
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
      offsets.put(partition, a);
    }
    a[n] = offset;
    sizes.put(partition, n + 1);
  }

  /** The gaps, given each partition's first offset still in the topic (0 when absent). */
  public List<Gap> find(Map<Integer, Long> firstOffsets) {
    List<Gap> gaps = new ArrayList<>();
    for (Map.Entry<Integer, long[]> e : offsets.entrySet()) {
      int partition = e.getKey();
      long[] sorted = Arrays.copyOf(e.getValue(), sizes.get(partition));
      Arrays.sort(sorted);
      long expected = firstOffsets.getOrDefault(partition, 0L);
      for (long offset : sorted) {
        if (offset > expected) {
          gaps.add(new Gap(partition, expected, offset));
        }
        expected = Math.max(expected, offset + 1);
      }
    }
    return gaps;
  }
}
