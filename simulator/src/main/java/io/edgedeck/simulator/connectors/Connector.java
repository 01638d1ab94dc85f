package io.edgedeck.simulator.connectors;

import io.edgedeck.client.model.SourceStatus;

/**
 * A source of observations the node runs: it starts its own threads (never the engine thread), hands
 * batches to an {@link EventSink}, keeps {@link ConnectorCounters}, and stops on {@link #close()}.
 */
public interface Connector extends AutoCloseable {

    /** Starts connecting (node-initiated sources) or marks the endpoint ready (pushed sources). Returns at once. */
    void start();

    /** Its counters, which it writes as it goes; any thread. */
    ConnectorCounters counters();

    /** Its counters and state now; any thread. */
    SourceStatus status();

    /** Stops its threads and closes its connections; waits for them briefly. Idempotent. */
    @Override
    void close();
}
