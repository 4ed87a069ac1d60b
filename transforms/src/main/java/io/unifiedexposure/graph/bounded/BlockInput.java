package io.unifiedexposure.graph.bounded;

import java.io.InputStream;

/**
 * Reads a range of a byte array that holds encoded values ({@link ShardBatch}, {@link ShardSums}).
 * Not a {@link java.io.ByteArrayInputStream}: its reads are synchronized, and these blocks are read
 * byte by byte (varints) millions of times.
 */
final class BlockInput extends InputStream {
  private final byte[] bytes;
  private int pos;
  private final int end;

  BlockInput(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.pos = from;
    this.end = to;
  }

  @Override
  public int read() {
    return pos < end ? bytes[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos >= end) {
      return -1;
    }
    int n = Math.min(len, end - pos);
    System.arraycopy(bytes, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) {
    int k = (int) Math.max(0, Math.min(n, end - pos));
    pos += k;
    return k;
  }

  @Override
  public int available() {
    return end - pos;
  }
}
