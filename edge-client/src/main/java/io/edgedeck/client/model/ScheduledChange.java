package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
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
 */
public record ScheduledChange(long id, State state, String cue, String at, String playbook, PlaybookAction action,
                              String reason, String createdBy, long createdAtEpochMillis, String endedBy,
                              Long endedAtEpochMillis, String outcome) {

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
                what);
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
