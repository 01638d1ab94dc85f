package io.edgedeck.simulator.server.http;

import java.time.Duration;

/**
 * What a caller may cost the node. Past each limit the caller gets a problem document (or, for a
 * connection that never sends a request, a closed socket), and every other caller is unaffected.
 *
 * @param idleTimeout        a connection silent this long is closed (frame streams send a heartbeat every 10 s)
 * @param requestHeadTimeout a new connection must have sent a whole request head within this time
 * @param bodyTimeout        a request's whole body must arrive within this time once its head has (408)
 * @param maxHeaderBytes     the request line and headers together (431)
 * @param maxBodyBytes       a request body (413)
 * @param maxConnections     open connections; the next one gets a 503 at once and is closed
 */
public record HttpLimits(Duration idleTimeout, Duration requestHeadTimeout, Duration bodyTimeout, int maxHeaderBytes,
                         int maxBodyBytes, int maxConnections) {

    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30), 16 * 1024,
                DEFAULT_MAX_BODY_BYTES, 512);
    }

    /** A size limit as a person reads it: its exact bytes, and KB where it is whole KB ({@code 65536 bytes (64 KB)}). */
    public static String bytes(int max) {
        return max + " bytes" + (max % 1024 == 0 ? " (" + max / 1024 + " KB)" : "");
    }

    public HttpLimits withTimeouts(Duration idle, Duration requestHead, Duration body) {
        return new HttpLimits(idle, requestHead, body, maxHeaderBytes, maxBodyBytes, maxConnections);
    }

    public HttpLimits withMaxConnections(int max) {
        return new HttpLimits(idleTimeout, requestHeadTimeout, bodyTimeout, maxHeaderBytes, maxBodyBytes, max);
    }
}
