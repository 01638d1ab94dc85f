package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;


/**
 * A change that waits for its moment ({@code GET /api/v1/schedule}): a named show cue being fired
 * ({@code cue}) or a wall-clock time ({@code at}); then it runs a playbook ({@code playbook}) or makes
 * one change ({@code action}). Journaled when made, so a restarted node still runs it, and fired once.
 *
 * @param id          1 for a node's first, +1 for each after it
 * @param cue         the named cue it waits for, or null
 * @param at          the instant it waits for, in UTC ("2026-12-02T21:00:00Z"), or null
 * @param outcome     what its firing changed, or why it could not (null while pending)
 * @param endedBy     who cancelled it, or {@code schedule} once it fired; null while pending
 * @param endedAtEpochMillis when it fired or was cancelled, on the wall clock
 * @param unconfirmed on a fleet node, a pending change whose control record the fleet's Kafka never confirmed (it may
 *                    yet apply on every node) and which the node tries no more: since when, why, and what to do; null
 *                    for every other change (docs/FLEET.md)
 */
public record ScheduledChange(long id, State state, String cue, String at, String playbook, PlaybookAction action,
                              String reason, String createdBy, long createdAtEpochMillis, String endedBy,
                              Long endedAtEpochMillis, String outcome,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Unconfirmed unconfirmed) {

    /**
     * A pending change not confirmed ({@code unconfirmed}): what a producer decides on before retrying or cancelling it.
     *
     * @param sinceEpochMillis when the node stopped trying it (or, after a restart, when its cue was fired), wall clock
     * @param last             the last try's failure, in Kafka's words, or what the node knows after a restart
     * @param detail           what to do: check the fleet's nodes, then retry or cancel it
     */
    public record Unconfirmed(long sinceEpochMillis, String last, String detail) {
    }

    /** This change as a node lists it with {@code u} said of it. */
    public ScheduledChange withUnconfirmed(Unconfirmed u) {
        return new ScheduledChange(id, state, cue, at, playbook, action, reason, createdBy, createdAtEpochMillis, endedBy,
                endedAtEpochMillis, outcome, u);
    }

    /** The change it makes, for people: "playbook stop-the-bleed", "kill offer-banner". */
    public String describe() {
        return playbook != null ? "playbook " + playbook : action.describe();
    }

    /** What it waits for: "cue drop", "2026-12-02T21:00:00Z". */
    public String when() {
        return cue != null ? "cue " + cue : at;
    }

    public ScheduledChange ended(State next, String by, long atEpochMillis, String what) {
        return new ScheduledChange(id, next, cue, at, playbook, action, reason, createdBy, createdAtEpochMillis, by, atEpochMillis,
                what, null);
    }

    public enum State {
        PENDING, FIRED, CANCELLED, FAILED;

        @JsonValue
        public String id() {
            return WireNames.id(this);
        }

        @JsonCreator
        public static State of(String id) {
            return WireNames.of(State.class, id, "schedule");
        }
    }
}
