package io.edgedeck.simulator.edge;

import io.edgedeck.engine.triggers.InteractionKind;

/**
 * Sees every observation the simulated edge and its audience hand the edge core, as they hand it,
 * named the way a real source would name it (a unit's id, a PoP index the core's config names, a
 * flag and variant). It is how the same simulated show drives a node over the wire ({@code load}):
 * one stream, told to the in-process core and to the tap at the same point, never a second
 * audience. The default tap, {@link #NONE}, does nothing.
 *
 * <p>Called on the engine thread, in the order the core receives the observations; a tap must not
 * block it for long.
 */
public interface ObservationTap {
    /** The tap of a rehearsal: nothing beyond the core sees the observations. */
    ObservationTap NONE = new ObservationTap() {
    };

    /**
     * Unit {@code unit} entered {@code variant} of {@code flag} at PoP {@code pop} (its first
     * assignment, or a move by a flag change): what an app learns by evaluating the flag for it.
     */
    default void exposed(long unit, String flag, String variant, int pop, String region, String tenant) {
    }

    /**
     * Unit {@code unit} checked out: a conversion for every variant it is in, worth {@code value}
     * (null when the show's checkouts carry none).
     */
    default void converted(long unit, Double value) {
    }

    /** A request at PoP {@code pop} was answered in {@code ms}. */
    default void served(int pop, double ms) {
    }

    /** A request at PoP {@code pop} got no answer. */
    default void lost(int pop) {
    }

    /**
     * The request just {@linkplain #served served} or {@linkplain #lost lost} was unit {@code unit}'s,
     * and counts for every variant it is in (a variant's latency and errors).
     */
    default void requestOf(long unit) {
    }

    /**
     * Unit {@code unit} took a step its micro-metric triggers count ({@code view}, {@code hover},
     * {@code click}, {@code chat}, {@code add-to-cart}, {@code checkout}), in the core's order.
     */
    default void step(long unit, InteractionKind kind) {
    }

    /** Unit {@code unit} wrote a chat line. */
    default void chat(long unit, String text) {
    }

    /**
     * A checkout was authorised ({@code completed}) or queued for authorisation at PoP {@code pop};
     * {@code times} are its decision's stage times, or null when its request got no answer.
     */
    default void checkout(int pop, boolean completed, StageTimes times) {
    }

    /** Every checkout queued at PoP {@code pop} was reconciled. */
    default void reconciled(int pop) {
    }
}
