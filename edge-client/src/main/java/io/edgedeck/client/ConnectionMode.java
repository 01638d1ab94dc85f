package io.edgedeck.client;

/** Which environment a click hits. Producers must never confuse the two. */
public enum ConnectionMode {
    /** A running edge node, over HTTP: changes reach a real audience. */
    LIVE,
    /** The bundled in-process engine driven by the simulator: nothing leaves the laptop. */
    REHEARSAL
}
