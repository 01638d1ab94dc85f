package io.edgedeck.client;

/** Which environment a click hits. Producers must never confuse them. */
public enum ConnectionMode {
    /** A running edge node, over HTTP: changes reach a real audience. */
    LIVE,
    /** The bundled in-process engine driven by the simulator: nothing leaves the laptop. */
    REHEARSAL,
    /** A diagnostic bundle opened offline: the show as it stood when the bundle was made; nothing can change. */
    OFFLINE;

    /** Whether anything can be changed here (flags, guardrails, rollbacks, the show). */
    public boolean allowsChanges() {
        return this != OFFLINE;
    }
}
