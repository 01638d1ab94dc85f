package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceState;

import io.edgedeck.client.model.SourceStatus;


import java.util.List;
import java.util.Locale;

import static io.edgedeck.simulator.server.metrics.PrometheusExposition.escape;
import static io.edgedeck.simulator.server.metrics.PrometheusExposition.family;
import static io.edgedeck.simulator.server.metrics.PrometheusExposition.sample;

/**
 * Connectors' counters in the Prometheus text exposition format (0.0.4), for the node's /metrics:
 * one series per connector ({@code kind}, {@code name} labels), errors per reason, unknown CDN PoP
 * codes per code. Events per second is {@code rate(edgedeck_connector_events_total[1m])}; the
 * gauge is there for a glance. Values are printed exactly (a timestamp in seconds keeps its
 * milliseconds), as every family of the node's {@code /metrics} is.
 */
public final class ConnectorMetrics {
    private ConnectorMetrics() {
    }

    /** The connectors' families as text. */
    public static String render(List<SourceStatus> statuses) {
        StringBuilder out = new StringBuilder();
        render(statuses, out);
        return out.toString();
    }

    /** Appends the connectors' families to {@code out}. */
    public static void render(List<SourceStatus> statuses, StringBuilder out) {
        family(out, "edgedeck_connector_up", "gauge", "1 while a connector is connected (or, for pushed sources, listening).");
        for (SourceStatus s : statuses) {
            boolean up = s.state() == SourceState.CONNECTED || s.state() == SourceState.LISTENING;
            sample(out, "edgedeck_connector_up", labels(s), up ? 1 : 0);
        }
        family(out, "edgedeck_connector_state", "gauge", "The state each connector is in (1 for the current one).");
        for (SourceStatus s : statuses) {
            for (SourceState state : SourceState.values()) {
                sample(out, "edgedeck_connector_state", labels(s) + ",state=\"" + state.name().toLowerCase(Locale.ROOT) + "\"",
                        state == s.state() ? 1 : 0);
            }
        }
        family(out, "edgedeck_connector_events_total", "counter", "Observations each connector handed to the node.");
        for (SourceStatus s : statuses) {
            sample(out, "edgedeck_connector_events_total", labels(s), s.events());
        }
        family(out, "edgedeck_connector_duplicates_total", "counter",
                "Observations each connector handed to the node that repeated one it held (counted once, not in events).");
        for (SourceStatus s : statuses) {
            sample(out, "edgedeck_connector_duplicates_total", labels(s), s.duplicates());
        }
        family(out, "edgedeck_connector_events_per_second", "gauge", "Observations per second over the last 10 s.");
        for (SourceStatus s : statuses) {
            sample(out, "edgedeck_connector_events_per_second", labels(s), s.eventsPerSecond());
        }
        family(out, "edgedeck_connector_last_event_timestamp_seconds", "gauge",
                "When each connector last handed over an observation (0 for never).");
        for (SourceStatus s : statuses) {
            sample(out, "edgedeck_connector_last_event_timestamp_seconds", labels(s), s.lastEventMillis() / 1000.0);
        }
        family(out, "edgedeck_connector_errors_total", "counter", "Refusals and failures of each connector, by reason.");
        for (SourceStatus s : statuses) {
            for (SourceStatus.ErrorCount e : s.errors()) {
                sample(out, "edgedeck_connector_errors_total", labels(s) + ",reason=\"" + escape(e.reason()) + "\"", e.count());
            }
        }
        family(out, "edgedeck_connector_unknown_pop_requests_total", "counter",
                "CDN log records from PoP codes the endpoint's mapping does not name, by code.");
        for (SourceStatus s : statuses) {
            s.unknownPops().forEach((code, n) ->
                    sample(out, "edgedeck_connector_unknown_pop_requests_total", labels(s) + ",code=\"" + escape(code) + "\"", n));
        }
    }

    private static String labels(SourceStatus s) {
        return "kind=\"" + escape(s.kind()) + "\",name=\"" + escape(s.name()) + "\"";
    }
}
