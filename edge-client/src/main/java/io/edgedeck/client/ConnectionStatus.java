package io.edgedeck.client;

/**
 * Whether the console hears from the edge right now.
 *
 * @param state       where the connection is
 * @param detail      what a producer reads: "connected", "reconnecting in 2 s (connection refused)"
 * @param sinceMillis wall-clock time the state began (System.currentTimeMillis)
 */
public record ConnectionStatus(State state, String detail, long sinceMillis) {

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
}
