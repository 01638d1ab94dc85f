package io.edgedeck.client;

/**
 * Whether the console hears from the edge right now.
 *
 * @param state       where the connection is
 * @param detail      what a producer reads: "connected", "reconnecting in 2 s (connection refused)"
 * @param sinceMillis wall-clock time the state began (System.currentTimeMillis)
 * @param restoring   while the node answers but is still restoring its show after a restart (every call 503,
 *                    problem type {@code urn:edgedeck:problem:restoring}): how far it has come, as it says
 *                    ("played 4:10 of 10:43 of the show again"); null otherwise
 */
public record ConnectionStatus(State state, String detail, long sinceMillis, String restoring) {

    public ConnectionStatus(State state, String detail, long sinceMillis) {
        this(state, detail, sinceMillis, null);
    }

    public enum State {
        /** Frames arrive; actions are sent. */
        ONLINE,
        /** Trying to (re)establish the stream; actions are refused, not queued. */
        RECONNECTING,
        /** Closed, or given up (a bad token); actions are refused. */
        OFFLINE
    }

    public boolean online() {
        return state == State.ONLINE;
    }

    /** True while the node answers that it is restoring its show: there, but nothing it says is the show yet. */
    public boolean nodeRestoring() {
        return restoring != null;
    }
}
