package io.edgedeck.client.model;

/**
 * Something that changed the show, for the timeline: a fault applied or lifted, a flag change, a
 * rollback, a guardrail firing, a pause.
 *
 * @param kind   {@code fault}, {@code flag}, {@code guardrail}, {@code audience} (a traffic surge, a shift in chat mood)
 * @param label  what a producer reads on the timeline mark
 * @param pop    the PoP it concerns, or null
 * @param flag   the flag it concerns, or null
 * @param actor  who or what did it ({@code cue}, {@code expired}, an operator, {@code guardrail:RULE},
 *               {@value #NODE_CONFIG} for what a live node's configuration set up as it started)
 */
public record ShowEvent(long atMillis, String kind, String label, String pop, String flag, String actor) {
    /** The actor of what a live node's own configuration set up or changed, as the node started. */
    public static final String NODE_CONFIG = "config";

    /** Whether the node's configuration made it, as the node started: set-up, not a change made during the show. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean byNodeConfig() {
        return NODE_CONFIG.equals(actor);
    }
}
