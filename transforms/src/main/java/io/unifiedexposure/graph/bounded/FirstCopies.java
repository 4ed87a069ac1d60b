package io.unifiedexposure.graph.bounded;

import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * Per event_id of a dedup shard, where its first copy was met: a reference (e.g. batch and
 * position) chosen by the caller. Held as a 64-bit hash of the event_id and the reference, side by
 * side in one array (one cache line per lookup), by open addressing: no object per fact, where a
 * map from event_id kept an entry, the id's text and a handle per fact alive until the shard was
 * done, and the collector copied them young.
 *
 * <p>Equal hashes are not trusted: the event_id at the stored reference is read back ({@code
 * idAt}) and compared, so two ids that share a hash are two facts. That read happens only for an
 * id met again (a duplicate or a conflict) or a shared hash.
 */
final class FirstCopies {
  private static final long EMPTY = 0L;

  private final ToLongFunction<String> hasher;
  /** Per slot: the hash at {@code 2 * slot} (0: empty), the reference at {@code 2 * slot + 1}. */
  private long[] slots;
  private int size;

  /** Room for about {@code expected} event_ids before growing. */
  FirstCopies(int expected) {
    this(expected, FirstCopies::hash);
  }

  /** With another hash (a test makes every id share one). */
  FirstCopies(int expected, ToLongFunction<String> hasher) {
    this.hasher = hasher;
    int room = Math.max(16, Math.min(1 << 26, expected));
    int capacity = Integer.highestOneBit(room * 2 - 1) * 2; // a power of two, at least twice the room
    this.slots = new long[capacity * 2];
  }

  /** How many event_ids are held. */
  int size() {
    return size;
  }

  /**
   * Records {@code ref} (not negative) as where {@code eventId} was first met and returns -1; or,
   * when the id was met before, keeps that and returns where it was first met.
   */
  long putIfAbsent(String eventId, long ref, LongFunction<String> idAt) {
    long h = hasher.applyAsLong(eventId);
    h = h == EMPTY ? 1L : h;
    int mask = slots.length / 2 - 1;
    for (int slot = (int) (h ^ (h >>> 32)) & mask; ; slot = (slot + 1) & mask) {
      long held = slots[2 * slot];
      if (held == EMPTY) {
        slots[2 * slot] = h;
        slots[2 * slot + 1] = ref;
        if (++size * 4 > slots.length) {
          grow();
        }
        return -1;
      }
      if (held == h && eventId.equals(idAt.apply(slots[2 * slot + 1]))) {
        return slots[2 * slot + 1];
      }
    }
  }

  /** Twice the room, every id moved to its place in it. */
  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length / 2 - 1;
    for (int i = 0; i < old.length; i += 2) {
      long h = old[i];
      if (h != EMPTY) {
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (slots[2 * slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        slots[2 * slot] = h;
        slots[2 * slot + 1] = old[i + 1];
      }
    }
  }

  /** FNV-1a over the id's chars, then MurmurHash3's 64-bit finalizer to spread the bits. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
