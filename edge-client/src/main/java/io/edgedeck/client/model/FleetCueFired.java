package io.edgedeck.client.model;

import java.util.List;

/**
 * What firing a show cue for the whole fleet at its aggregator did ({@code POST /api/v1/show/cues/{name}}, the
 * aggregator's admin token; docs/FLEET.md, "Cues for the whole fleet"): the one {@code cue/NAME} record's offset on the
 * control topic, the nodes that took it (fired it and applied the changes it fired there), and each node that had not
 * when the aggregator answered, with why: one that fired it but whose changes did not apply is named with {@code took}.
 * The record is on the topic either way: a node in {@code notTaken} that had not read it fires the cue when it reads
 * that far.
 *
 * @param detail the aggregator's own sentence, e.g. "every node took it: node-a, node-b"
 */
public record FleetCueFired(String cue, long offset, List<String> took, List<NotTaken> notTaken, String detail) {
    public FleetCueFired {
        took = took == null ? List.of() : List.copyOf(took);
        notTaken = notTaken == null ? List.of() : List.copyOf(notTaken);
    }

    /**
     * A node that had not fired the cue when the aggregator answered, and why ("silent for 12 s: it fires the cue ..."),
     * or, with {@code took}, one that fired it but whose changes did not apply ("its change did not apply: scheduled
     * change #2 (kill offer-banner): ...").
     *
     * @param lastSeenMillis for a node not taken because it is silent, when the aggregator last heard from it (epoch ms,
     *                       {@code GET /api/v1/fleet}'s {@code lastSeenMillis}); null otherwise, and from an aggregator
     *                       that does not say
     * @param took           true for a node that fired the cue and did not apply a change it fired; null otherwise
     */
    public record NotTaken(String node, String why,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           Long lastSeenMillis,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           Boolean took) {
        /** A node not taken for a reason other than silence, or from an aggregator that gives words only. */
        public NotTaken(String node, String why) {
            this(node, why, null, null);
        }

        /** A node not taken, with when it was last heard from (null: not for its silence). */
        public NotTaken(String node, String why, Long lastSeenMillis) {
            this(node, why, lastSeenMillis, null);
        }

        /** True for a node that fired the cue but did not apply a change it fired there. */
        public boolean tookButNotApplied() {
            return Boolean.TRUE.equals(took);
        }
    }

    /** True when every node the aggregator hears from took it (answered 200; 202 names those that did not). */
    public boolean everyNodeTook() {
        return notTaken.isEmpty();
    }
}
