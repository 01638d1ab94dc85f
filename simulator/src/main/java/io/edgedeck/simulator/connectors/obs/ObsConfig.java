package io.edgedeck.simulator.connectors.obs;

import io.edgedeck.simulator.connectors.BackoffConfig;
import io.edgedeck.simulator.connectors.Secret;

/**
 * OBS Studio's built-in obs-websocket server (Tools → WebSocket Server Settings), read for encoder
 * health.
 *
 * <p>JSON: {@code {"host": "127.0.0.1", "port": 4455, "password": "file:/etc/edgedeck/obs-password"}};
 * every field has a default.
 *
 * @param host                 where OBS runs (default 127.0.0.1)
 * @param port                 obs-websocket's port (default 4455)
 * @param password             the server password when authentication is on (see {@link Secret}); absent when off
 * @param pollMillis           how often stream and render statistics are read, 250 or more (default 2000)
 * @param requestTimeoutMillis an unanswered request after this long means OBS stalled: reconnect (default 5000)
 * @param windowSeconds        the window frame shares are counted over (default 60)
 * @param backoff              how long to wait before connecting again after a failure
 */
public record ObsConfig(String host, Integer port, Secret password, Long pollMillis, Long requestTimeoutMillis,
                        Integer windowSeconds, BackoffConfig backoff) {
    public ObsConfig {
        host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
        if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
            // An IPv6 address as URLs write it: the brackets are the URL's, not the address's.
            host = host.substring(1, host.length() - 1);
        }
        port = port == null ? 4455 : port;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
        pollMillis = pollMillis == null ? 2000L : pollMillis;
        if (pollMillis < 250) {
            throw new IllegalArgumentException("pollMillis must be at least 250, not " + pollMillis);
        }
        requestTimeoutMillis = requestTimeoutMillis == null ? 5000L : requestTimeoutMillis;
        if (requestTimeoutMillis < 100) {
            throw new IllegalArgumentException("requestTimeoutMillis must be at least 100, not " + requestTimeoutMillis);
        }
        windowSeconds = windowSeconds == null ? 60 : windowSeconds;
        if (windowSeconds < 1 || windowSeconds * 1000L < pollMillis) {
            throw new IllegalArgumentException("windowSeconds must cover at least one poll, not " + windowSeconds);
        }
        backoff = backoff == null ? BackoffConfig.DEFAULT : backoff;
        // What would end the host in a URL, or make it no host: a name with an underscore (a container's) is fine.
        if (host.chars().anyMatch(c -> c <= ' ' || "/?#@[]\\".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("host must be a host name or an IP address (IPv6 with or without brackets), not "
                    + host);
        }
    }

    /** The websocket URL. */
    public String url() {
        return url(host, port);
    }

    private static String url(String host, int port) {
        return "ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
