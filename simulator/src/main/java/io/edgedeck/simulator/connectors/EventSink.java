package io.edgedeck.simulator.connectors;

import io.edgedeck.client.ingest.IngestEvent;

import java.util.List;

/**
 * Where a connector hands the observations it made: the node's keyed ingest path, which takes
 * {@link IngestEvent}s exactly as {@code POST /ingest/v1/events} does (same ids, same dedupe).
 *
 * <p>Called from the connector's own threads (an HTTP worker for pushed logs, the probe workers, the
 * chat reader), never from the engine thread; implementations must be thread-safe. A batch is taken
 * whole or not at all: when this returns normally, the node holds every event of it as it holds an
 * acknowledged ingest batch; when it throws, it took none of them.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * Hands over one batch.
     *
     * @throws SinkRefusedException when the node cannot take the batch now (its queue is full, it is
     *                              shutting down); nothing of the batch was taken
     */
    void accept(List<IngestEvent> batch) throws SinkRefusedException;
}
