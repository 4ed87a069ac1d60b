/**
 * The graph for streaming (live) input: record by record, a stateful dedup that tracks the watermark,
 * early, on-time and late panes per (merchant, currency). Its step names are the live job's Flink
 * operator ids, which savepoints restore by: they do not change.
 */
package io.unifiedexposure.graph.streaming;
