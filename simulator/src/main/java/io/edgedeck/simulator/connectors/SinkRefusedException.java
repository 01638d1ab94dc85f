package io.edgedeck.simulator.connectors;

/**
 * The node could not take a batch; none of it was taken. Pushed sources answer 503 with
 * {@code Retry-After} so the sender retries the same batch; node-initiated sources count the batch as
 * refused with this reason.
 */
public final class SinkRefusedException extends Exception {
    private final long retryAfterSeconds;

    /**
     * @param reason            why, for a person (e.g. "the ingest queue is full")
     * @param retryAfterSeconds when a sender may try again, in seconds (at least 1)
     */
    public SinkRefusedException(String reason, long retryAfterSeconds) {
        super(reason);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
