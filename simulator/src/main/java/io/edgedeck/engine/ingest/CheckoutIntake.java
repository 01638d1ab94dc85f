package io.edgedeck.engine.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.checkouts.Checkouts;
import io.edgedeck.engine.pops.Pops;

/**
 * An ingested checkout's state, checked against where the checkout stands, per checkout id:
 *
 * <pre>
 *   (none) --started--> in flight --authorised--> ended
 *     |                    |
 *     |                    +--queued--> queued at a PoP --reconciled (at that PoP)--> ended
 *     +--authorised / queued: as from in flight (one never seen started counts as attempted too)
 * </pre>
 *
 * One ending per checkout: {@code authorised}, or {@code queued} and then {@code reconciled}. Once
 * a checkout has ended, every further event for its id is refused ("has ended already"), as a second
 * {@code started} is; a reconciliation is only of a queued checkout. A transition that cannot happen
 * is refused before anything changes. The ids of ended checkouts are remembered as the event ids of
 * the dedupe window are (64-bit hashes), the newest {@code maxEnded} of them; so are the ids of
 * checkouts in flight that {@link Checkouts} forgot to make room (past its bound of checkouts in
 * flight): such a checkout counts as lost while it does not end, and when it ends later it is the
 * same attempt, not a second one, and a second {@code started} is refused as for any other. A live
 * node rebuilds all of it, like everything else here, by reading its ingest log back on a start.
 * Engine thread.
 */
final class CheckoutIntake {
    /** Ended checkouts are never forgotten for their age, only for their number. */
    private static final long FOREVER = Long.MAX_VALUE;
    private final Checkouts checkouts;
    private final Pops pops;
    private final EventIdWindow ended;
    /** Checkouts started and still in flight that {@link Checkouts} no longer holds: they have started already. */
    private final EventIdWindow forgotten;

    CheckoutIntake(Checkouts checkouts, Pops pops, int maxEnded) {
        this.checkouts = checkouts;
        this.pops = pops;
        this.ended = new EventIdWindow(FOREVER, maxEnded);
        this.forgotten = new EventIdWindow(FOREVER, maxEnded);
    }

    /** @param ref the checkout's id at its source; {@code pop} the event's PoP (or the default) */
    void accept(String ref, int pop, IngestEvent.Checkout c) {
        CheckoutState state = CheckoutState.of(c.state());
        if (state == null) {
            throw new Refusal("state", "must be started, authorised, queued or reconciled, was "
                    + (c.state() == null ? "missing" : "'" + c.state() + "'"), "unknown-state");
        }
        if (ended.contains(ref, 0)) {
            throw new Refusal("checkoutId", "checkout '" + ref + "' has ended already; a checkout ends once", "checkout-ended");
        }
        int queuedAt = checkouts.queuedAt(ref);
        String waiting = queuedAt < 0 ? null : pops.id(queuedAt);
        boolean startedBefore = forgotten.size() > 0 && forgotten.contains(ref, 0);
        switch (state) {
            case STARTED -> {
                if (checkouts.isOpen(ref) || queuedAt >= 0 || startedBefore) {
                    throw new Refusal("checkoutId", "checkout '" + ref + "' has started already", "checkout-started");
                }
                String dropped = checkouts.start(ref);
                if (dropped != null) {
                    forgotten.add(dropped, 0);
                }
            }
            case AUTHORISED -> {
                if (queuedAt >= 0) {
                    throw new Refusal("state", "checkout '" + ref + "' is queued at " + waiting + "; it ends reconciled",
                            "checkout-queued");
                }
                checkouts.authorise(ref, startedBefore);
                ended.add(ref, 0);
            }
            case QUEUED -> {
                if (queuedAt >= 0) {
                    throw new Refusal("state", "checkout '" + ref + "' is queued at " + waiting + " already",
                            "checkout-queued-already");
                }
                checkouts.queue(ref, pop, startedBefore);
            }
            case RECONCILED -> {
                if (queuedAt < 0) {
                    throw new Refusal("state", "checkout '" + ref + "' is not queued, so it cannot be reconciled",
                            "checkout-not-queued");
                }
                if (c.pop() != null && pop != queuedAt) {
                    throw new Refusal("pop", "checkout '" + ref + "' waits at " + waiting + ", not " + c.pop(),
                            "checkout-queued-elsewhere");
                }
                checkouts.reconcileOne(ref);
                ended.add(ref, 0);
            }
        }
    }
}
