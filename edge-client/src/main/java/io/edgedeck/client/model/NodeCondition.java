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
        /**
         * A node not heard from for longer than this is silent, at the aggregator and in the console alike: its PoPs show
         * no data, a cue fired on every node does not wait for it, the Fleet tab's row is red. Nodes send a frame a second.
         */
        public static final long AFTER_MILLIS = 5_000;
        /** A node not heard from for longer than this, and not yet {@link #AFTER_MILLIS}, is late: it missed frames. */
        public static final long LATE_AFTER_MILLIS = 3_000;

        /**
         * The words for a node silent this long, as the aggregator leads a PoP's fault and the condition's detail with
         * them and the console tells them by its own count: {@code "node node-c silent 24 s"}.
         */
        public static String words(String node, String howLong) {
            return "node " + node + " silent " + howLong;
        }

        /** Whether {@code fault} is this node's silence in {@link #words}, with any figure: the clause to tell again. */
        public boolean toldIn(String fault) {
            String lead = words(node, "");
            return fault.startsWith(lead) && FIGURE.matcher(fault).region(lead.length(), fault.length()).matches();
        }

        /** A figure as {@link #words} tells it ("24 s", "2.5 min"); compiled once, as the console asks on every tick. */
        private static final java.util.regex.Pattern FIGURE = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)? (s|min)");
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
