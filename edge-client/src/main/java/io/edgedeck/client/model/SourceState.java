package io.edgedeck.client.model;

/** Where a source of a node is, as /metrics and the console's Sources panel show it; {@code why} says more. */
public enum SourceState {
    /** Opening its connection (or logging in) to the source. */
    CONNECTING,
    /** Connected and reading (chat, OBS) or probing on schedule (probes). */
    CONNECTED,
    /** Lost its source or could not reach it; waiting out a backoff delay before trying again. */
    RECONNECTING,
    /** A pushed source (CDN logs, chat webhook) whose endpoint is ready for the sender's requests. */
    LISTENING,
    /** Stopped by the node; does nothing more. */
    STOPPED
}
