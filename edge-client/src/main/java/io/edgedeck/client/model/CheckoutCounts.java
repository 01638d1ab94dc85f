package io.edgedeck.client.model;

/**
 * Checkouts since the show started. Every attempted checkout ends completed, or queued and
 * later reconciled; {@code lost} counts the ones that did neither and should stay 0.
 *
 * @param pending queued and not yet reconciled
 */
public record CheckoutCounts(long attempted, long completed, long queued, long reconciled, long lost, long pending) {
}
