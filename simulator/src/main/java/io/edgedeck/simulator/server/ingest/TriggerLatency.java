package io.edgedeck.simulator.server.ingest;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trigger latency on a live node, per trigger: from the arrival of the request carrying the event
 * that completed a trigger (before its body is read) to its action being available (the engine has
 * applied the batch and holds the action pending). It includes reading and parsing the batch, making
 * it durable in the ingest log and waiting for the engine thread. HdrHistogram, microseconds, 3
 * significant digits, up to 60 s. Thread-safe.
 */
public final class TriggerLatency {
    private static final long MAX_MICROS = 60_000_000;
    private final Map<String, Histogram> byTrigger = new LinkedHashMap<>();

    synchronized void record(String trigger, long micros) {
        byTrigger.computeIfAbsent(trigger, t -> new Histogram(MAX_MICROS, 3)).recordValue(Math.min(Math.max(0, micros), MAX_MICROS));
    }

    /** A trigger's latency percentiles. */
    public record Percentiles(String trigger, long count, double p50Millis, double p99Millis) {
    }

    /** Every trigger that has fired, in order of first firing. */
    public synchronized java.util.List<Percentiles> percentiles() {
        return byTrigger.entrySet().stream().map(e -> new Percentiles(e.getKey(), e.getValue().getTotalCount(),
                e.getValue().getValueAtPercentile(50) / 1000.0, e.getValue().getValueAtPercentile(99) / 1000.0)).toList();
    }
}
