package io.edgedeck.engine.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.checkouts.Checkouts;
import io.edgedeck.engine.pops.Pops;

/**
 * An ingested checkout's state, checked against where the checkout stands: {@code started}, then
 * {@code authorised}, or {@code queued} and later {@code reconciled} at the PoP it waits at. A
 * transition that cannot happen is refused before anything changes. Engine thread.
 */
final class CheckoutIntake {
    private final Checkouts checkouts;
    private final Pops pops;

    CheckoutIntake(Checkouts checkouts, Pops pops) {
        this.checkouts = checkouts;
        this.pops = pops;
    }

    /** @param ref the checkout's id at its source; {@code pop} the event's PoP (or the default) */
    void accept(String ref, int pop, IngestEvent.Checkout c) {
        CheckoutState state = CheckoutState.of(c.state());
        if (state == null) {
            throw new Refusal("state", "must be started, authorised, queued or reconciled, was "
                    + (c.state() == null ? "missing" : "'" + c.state() + "'"));
        }
        int queuedAt = checkouts.queuedAt(ref);
        String waiting = queuedAt < 0 ? null : pops.id(queuedAt);
        switch (state) {
            case STARTED -> {
                if (checkouts.isOpen(ref) || queuedAt >= 0) {
                    throw new Refusal("checkoutId", "checkout '" + ref + "' has started already");
                }
                checkouts.start(ref);
            }
            case AUTHORISED -> {
                if (queuedAt >= 0) {
                    throw new Refusal("state", "checkout '" + ref + "' is queued at " + waiting + "; it ends reconciled");
                }
                checkouts.authorise(ref);
            }
            case QUEUED -> {
                if (queuedAt >= 0) {
                    throw new Refusal("state", "checkout '" + ref + "' is queued at " + waiting + " already");
                }
                checkouts.queue(ref, pop);
            }
            case RECONCILED -> {
                if (queuedAt < 0) {
                    throw new Refusal("state", "checkout '" + ref + "' is not queued, so it cannot be reconciled");
                }
                if (c.pop() != null && pop != queuedAt) {
                    throw new Refusal("pop", "checkout '" + ref + "' waits at " + waiting + ", not " + c.pop());
                }
                checkouts.reconcileOne(ref);
            }
        }
    }
}
