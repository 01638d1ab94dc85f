package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceState;

import io.edgedeck.client.model.SourceStatus;

import java.io.InputStream;
import java.time.InstantSource;

/**
 * A source that the sender pushes to (CDN logs, chat webhooks): a {@link PushEndpoint} with its
 * counters, ready once started and refusing everything (503) once stopped. The node's HTTP server
 * calls {@link #handle} for POST and PUT at the connector's path.
 */
public abstract class PushConnector implements Connector {
    private final ConnectorCounters counters;
    private final PushEndpoint endpoint;
    private final String path;
    private final String waitingFor;

    /** {@code fields}: the dotted paths {@link #map} reads ({@link PushEndpoint}'s). */
    protected PushConnector(String kind, String name, String path, String waitingFor, Secret secret, String secretHeader,
                            PushLimits limits, EventSink sink, InstantSource clock, java.util.Collection<String> fields) {
        this.counters = new ConnectorCounters(kind, name, clock, SourceState.STOPPED, "not started");
        this.endpoint = new PushEndpoint(secretHeader, secret, limits, sink, counters, this::map, fields);
        this.path = path;
        this.waitingFor = waitingFor;
    }

    /** What one pushed record becomes; called on the request's thread. */
    protected abstract PushEndpoint.Outcome map(com.fasterxml.jackson.databind.JsonNode record);

    /** Where the node mounts this endpoint. */
    public final String path() {
        return path;
    }

    @Override
    public final void start() {
        // True before the first record and after: how much came, and when last, is on the row beside it.
        counters.state(SourceState.LISTENING, "listening for " + waitingFor + " at " + path);
    }

    /** One pushed batch; see {@link PushEndpoint#handle}. Any thread. */
    public final PushResult handle(PushEndpoint.Headers headers, InputStream body) {
        if (counters.state() == SourceState.STOPPED) {
            return PushResult.refusedWhole(503, "stopped", "Endpoint stopped", "this endpoint is stopped", null, 60L);
        }
        return endpoint.handle(headers, body);
    }

    @Override
    public final ConnectorCounters counters() {
        return counters;
    }

    @Override
    public final SourceStatus status() {
        return counters.snapshot();
    }

    @Override
    public final void close() {
        counters.state(SourceState.STOPPED, "stopped by the node");
    }
}
