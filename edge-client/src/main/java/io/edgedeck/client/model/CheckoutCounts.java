package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Checkouts since the show started. Every attempted checkout ends once: completed, or queued and
 * later reconciled; {@code lost} counts the ones that did neither and are not in flight, and should
 * stay 0.
 *
 * @param pending queued and not yet reconciled, and (on a live node) started and not yet ended: in flight
 * @param tokens  one-click checkout tokens presented to a live node since it started, by outcome;
 *                null where none was presented
 */
public record CheckoutCounts(long attempted, long completed, long queued, long reconciled, long lost, long pending,
                             @JsonInclude(JsonInclude.Include.NON_NULL) TokenOutcomes tokens) {

    public CheckoutCounts(long attempted, long completed, long queued, long reconciled, long lost, long pending) {
        this(attempted, completed, queued, reconciled, lost, pending, null);
    }

    /**
     * One-click checkout tokens by what became of them: taken for a checkout, or refused as expired,
     * forged (not signed by the node for that unit) or replayed (used before).
     */
    public record TokenOutcomes(long accepted, long expired, long forged, long replayed) {
        /** Refused for any reason. */
        public long refused() {
            return expired + forged + replayed;
        }
    }
}
