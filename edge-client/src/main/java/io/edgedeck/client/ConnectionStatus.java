package io.edgedeck.client;

/**
 * Whether the console hears from the edge right now, and, while it does not, what it waits for: one snapshot, so that
 * what is said of the cause is always of this state.
 *
 * @param state       where the connection is
 * @param detail      what a producer reads: "connected", "reconnecting in 2 s (connection refused)"
 * @param sinceMillis wall-clock time the state began (System.currentTimeMillis)
 * @param restoring   while the node answers but does not serve yet (every call 503, problem type
 *                    {@code urn:edgedeck:problem:restoring}): how far it has come, as it says ("played 4:10 of 10:43 of
 *                    the show again" while it restores its show after a restart; "starting: it has no show to restore,
 *                    nothing to read back" while a node on a new data directory starts); null otherwise
 * @param waiting     what the connection waits for while it is not online: the node starting, the node restoring its
 *                    show, or the node's operators file; {@link Waiting#NOTHING} otherwise
 */
public record ConnectionStatus(State state, String detail, long sinceMillis, String restoring, Waiting waiting) {

    public ConnectionStatus {
        waiting = waiting == null ? Waiting.NOTHING : waiting;
    }

    public ConnectionStatus(State state, String detail, long sinceMillis) {
        this(state, detail, sinceMillis, null, Waiting.NOTHING);
    }

    /** A node restoring its show after a restart, {@code restoring} saying how far; nothing waited for when it is null. */
    public ConnectionStatus(State state, String detail, long sinceMillis, String restoring) {
        this(state, detail, sinceMillis, restoring, restoring == null ? Waiting.NOTHING : Waiting.NODE_RESTORING);
    }

    public enum State {
        /** Frames arrive; actions are sent. */
        ONLINE,
        /** Trying to (re)establish the stream; actions are refused, not queued. */
        RECONNECTING,
        /** Closed, or given up (a bad token); actions are refused. */
        OFFLINE
    }

    /** What a connection that is not online waits for, when it knows. */
    public enum Waiting {
        /** Nothing in particular: online, offline, or reconnecting after a drop the node did not explain. */
        NOTHING,
        /** A node on a new data directory starts: it had no show to restore (its problem's {@code phase} {@code starting}). */
        NODE_STARTING,
        /** A node started again restores its show (its problem's {@code phase} {@code restoring}). */
        NODE_RESTORING,
        /**
         * The node refuses every person's own token for now (401 {@code operators-unreadable}) because it cannot read its
         * operators file: this token may be good, and the connection asks again by itself.
         */
        OPERATORS_FILE
    }

    public boolean online() {
        return state == State.ONLINE;
    }

    /** True while the node answers that it is restoring its show: there, but nothing it says is the show yet. */
    public boolean nodeRestoring() {
        return waiting == Waiting.NODE_RESTORING;
    }

    /** True while a node on a new data directory answers that it is starting: there, with no show to restore, not serving yet. */
    public boolean nodeStarting() {
        return waiting == Waiting.NODE_STARTING;
    }

    /** True while the node refuses this token only because it cannot read its operators file, and the connection asks again. */
    public boolean waitingForOperators() {
        return waiting == Waiting.OPERATORS_FILE;
    }
}
