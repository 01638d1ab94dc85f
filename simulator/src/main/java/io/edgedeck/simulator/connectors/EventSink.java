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
 * acknowledged ingest batch, save those it names as refused one by one (as the ingest API's answer
 * does: a time outside the dedupe window, an unknown PoP, a value out of range); when it throws, it
 * took none of them.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * An event of a batch the node did not take: its place in the batch (from 0), its id, the field
     * at fault and why, in words a sender can act on. It is not remembered, so sent again corrected
     * under the same id it is taken.
     */
    record Refusal(int index, String eventId, String field, String reason) {
        /** The refusal as one line: {@code event ID: FIELD REASON}. */
        public String detail() {
            return "event " + eventId + ": " + field + " " + reason;
        }
    }

    /**
     * Hands over one batch.
     *
     * @return the events the node refused one by one, in the batch's order; empty when it took every
     *         one (a repeat of an id it holds is taken: it counts once)
     * @throws SinkRefusedException when the node cannot take the batch now (its queue is full, it is
     *                              shutting down); nothing of the batch was taken
     */
    List<Refusal> accept(List<IngestEvent> batch) throws SinkRefusedException;
}
