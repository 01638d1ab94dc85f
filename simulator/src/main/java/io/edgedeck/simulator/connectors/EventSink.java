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
     * under the same id it is taken. It is told to the sender each time; the node's keyed path counts it on the
     * connector's row and the core's ({@code IntakeSink}), once within the core's window of refused ids, on a live node
     * and a rehearsal node alike: ten minutes of the core's clock, the show's (on a rehearsal node at {@code --speed 5},
     * two minutes of the wall clock).
     */
    record Refusal(int index, String eventId, String field, String reason) {

        /** The refusal as one line: {@code event ID: FIELD REASON}. */
        public String detail() {
            return "event " + eventId + ": " + field + " " + reason;
        }
    }

    /**
     * What the node made of a batch it took: the events it refused one by one, in the batch's order, how many repeated an
     * id it already held (taken, but counted once: not new observations), and how many of those repeated an event it took
     * from a send of the same connector whose answer said it was not taken in time: the sender sent it again because the
     * node answered late, so the repeat is neither a new observation nor a duplicate of the sender's making.
     */
    record Taken(List<Refusal> refused, int duplicates, int resent) {
        /** Every event of the batch counted. */
        public static final Taken ALL = new Taken(List.of(), 0, 0);

        public Taken {
            refused = List.copyOf(refused);
        }

        /** None resent because the node answered late. */
        public Taken(List<Refusal> refused, int duplicates) {
            this(refused, duplicates, 0);
        }

        /** Of {@code handed} events, those that count now: neither refused nor a repeat. */
        public int counted(int handed) {
            return handed - refused.size() - duplicates - resent;
        }

        /** Those that repeated an event the node holds, whatever made them: what a sender is told are duplicates. */
        public int held() {
            return duplicates + resent;
        }
    }

    /**
     * Hands over one batch.
     *
     * @return the events the node refused one by one and the repeats among the rest
     * @throws SinkRefusedException when the node cannot take the batch now (its queue is full, it is
     *                              shutting down); nothing of the batch was taken
     */
    Taken accept(List<IngestEvent> batch) throws SinkRefusedException;

    /**
     * This sink as connector {@code kind} {@code name} hands batches to it: a node that keeps them
     * (its ingest log) keeps which source each came from, so a restart counts them for that source
     * again. A sink that keeps nothing answers itself.
     */
    default EventSink from(String kind, String name) {
        return this;
    }
}
