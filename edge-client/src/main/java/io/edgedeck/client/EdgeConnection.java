package io.edgedeck.client;

import io.edgedeck.client.model.MetricsFrame;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the console knows of an edge: in rehearsal the in-process engine, live an edge node
 * over HTTP. Implementations are thread-safe.
 */
public interface EdgeConnection extends AutoCloseable {

    /** LIVE or REHEARSAL, and what this connection points at (a URL, or the scenario). */
    ConnectionMode mode();

    String target();

    /**
     * Registers a listener for metrics frames. It is called on the connection's own thread (the
     * engine thread, or the HTTP stream's reader), never on the FX thread: keep it short, e.g. set
     * an atomic reference.
     */
    Subscription subscribeFrames(Consumer<MetricsFrame> listener);

    /** The newest frame received, if any. Non-blocking. */
    Optional<MetricsFrame> latestFrame();

    /** Stops receiving frames and releases threads and sockets. Idempotent. */
    @Override
    void close();
}
