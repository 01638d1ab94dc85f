package io.edgedeck.console.guardrails;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Before a rule is armed: how soon each of the show's guardrails would catch a given harm, and how
 * often it would roll back identical variants, from playing the show's scenario many times over
 * (the same figures as {@code sweep --effect}). Works where the console has the show's scenario: in
 * rehearsal.
 */
public interface PreflightEstimator {

    /** One rule's estimate in words: "would catch -20% conversion in ~4 min 10 s (...); false rollbacks 0 in 20 shows". */
    record Estimate(String rule, String sentence) {
    }

    /** Told from a worker thread each time a show finishes, and each time the estimate is refined. */
    @FunctionalInterface
    interface Progress {
        void played(int done, int total);

        /**
         * The estimate over the first {@code seeds} seeds, each played both ways, before the rest are
         * in: a first estimate soon after the start, refined seed by seed.
         */
        default void refined(int seeds, List<Estimate> estimates) {
        }
    }

    /** Whether the current show can be played again here. Any thread; does not block. */
    boolean available();

    /**
     * Plays the show's A/A twin and its twin with {@code effect}, {@code seeds} times each, on
     * background threads, and completes there. Cancelling the future stops the shows. Does not block.
     */
    CompletableFuture<List<Estimate>> estimate(PreflightEffect effect, int seeds, Progress progress);
}
