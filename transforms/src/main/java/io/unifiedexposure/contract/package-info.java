/**
 * The contracts at the graph's two edges. In: the wire event ({@code exposure_event_v1.avsc}, read by
 * {@link io.unifiedexposure.contract.EventContract}), its decoder and the raw record a source hands
 * over with its coordinates. Out: the projection row and its pane timing, the upsert rule a consumer
 * follows, dead letters and beyond-lateness facts.
 */
package io.unifiedexposure.contract;
