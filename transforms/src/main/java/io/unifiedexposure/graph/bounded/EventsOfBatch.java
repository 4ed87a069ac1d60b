package io.unifiedexposure.graph.bounded;

import io.unifiedexposure.contract.ReceivedEvent;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** The valid events of a shard batch, as received. */
final class EventsOfBatch extends DoFn<KV<Integer, ShardBatch>, ReceivedEvent> {
  @ProcessElement
  public void process(@Element KV<Integer, ShardBatch> batch, OutputReceiver<ReceivedEvent> out) {
    batch.getValue().events().forEach(copy -> out.output(copy.received()));
  }
}
