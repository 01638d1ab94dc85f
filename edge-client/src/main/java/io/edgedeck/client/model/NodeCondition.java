package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Whether the node behind a frame can take changes: {@code OK}; {@code READ_ONLY} while its journal
 * cannot be written (it refuses changes and keeps serving reads and frames); {@code FAILED} when its
 * engine stopped (the frame is its last, and nothing changes any more).
 *
 * @param status what the node can do
 * @param detail why, for a person, e.g. {@code journal not writable: No space left on device}; empty when OK
 * @param silent at a fleet aggregator, each node it calls silent and when it last heard from it (the words for
 *               which lead {@code detail}); empty elsewhere, and from an aggregator that does not say
 * @param otherDetail at a fleet aggregator naming {@code silent} nodes, {@code detail} without their clauses (empty
 *               when nothing else is wrong), so a console can tell each silence in its own words; else null
 */
public record NodeCondition(Status status, String detail, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Silent> silent,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String otherDetail) {
    public static final NodeCondition OK = new NodeCondition(Status.OK, "");

    /**
     * A node the aggregator calls silent.
     *
     * @param lastSeenMillis when the aggregator last heard from it, epoch ms: {@code GET /api/v1/fleet}'s
     *                       {@code lastSeenMillis} for the node, on the same clock
     */
    public record Silent(String node, long lastSeenMillis) {
    }

    public enum Status {
        OK, READ_ONLY, FAILED
    }

    public NodeCondition {
        status = status == null ? Status.OK : status;
        detail = detail == null ? "" : detail;
        silent = silent == null ? List.of() : List.copyOf(silent);
    }

    /** A condition that names no silent node in data: a node's own, or an aggregator's before it did. */
    public NodeCondition(Status status, String detail) {
        this(status, detail, List.of(), null);
    }

    public static NodeCondition readOnly(String detail) {
        return new NodeCondition(Status.READ_ONLY, detail);
    }

    public static NodeCondition failed(String detail) {
        return new NodeCondition(Status.FAILED, detail);
    }
}
