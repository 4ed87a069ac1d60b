package io.unifiedexposure.graph;

import io.unifiedexposure.contract.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ListCoder;

/**
 * Decoded records of one dedup shard from one bundle of bounded input: its valid events and its
 * refused records, on their way to the dedup shuffle as one element (see {@link
 * DecodeIntoShardBatches}).
 */
final class ShardBatch {
  final List<ReceivedEvent> events;
  final List<DeadLetter> refused;

  ShardBatch(List<ReceivedEvent> events, List<DeadLetter> refused) {
    this.events = events;
    this.refused = refused;
  }

  static ShardBatch empty(int capacity) {
    return new ShardBatch(new ArrayList<>(capacity), new ArrayList<>(0));
  }

  int size() {
    return events.size() + refused.size();
  }

  static final class Coder extends AtomicCoder<ShardBatch> {
    static final Coder INSTANCE = new Coder();
    private static final ListCoder<ReceivedEvent> EVENTS = ListCoder.of(ReceivedEvent.coder());
    private static final ListCoder<DeadLetter> REFUSED = ListCoder.of(DeadLetter.coder());

    @Override
    public void encode(ShardBatch b, OutputStream out) throws IOException {
      EVENTS.encode(b.events, out);
      REFUSED.encode(b.refused, out);
    }

    @Override
    public ShardBatch decode(InputStream in) throws IOException {
      return new ShardBatch(EVENTS.decode(in), REFUSED.decode(in));
    }
  }
}
