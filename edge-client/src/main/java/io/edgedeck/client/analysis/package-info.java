/**
 * What the Jitter view and diagnostic bundles compute from a PoP's latency history, on the wire
 * model alone ({@link io.edgedeck.client.model.PopHistory}, {@link io.edgedeck.client.model.ShowEvent}):
 * when jitter set in ({@link io.edgedeck.client.analysis.JitterOnset}), percentiles over a span
 * ({@link io.edgedeck.client.analysis.SpanLatency}), what changed just before
 * ({@link io.edgedeck.client.analysis.WhatChanged}), and the heatmap's buckets
 * ({@link io.edgedeck.client.analysis.HeatmapBuckets}). The same answers whatever the connection:
 * a rehearsal, a live node or a bundle opened offline.
 */
package io.edgedeck.client.analysis;
