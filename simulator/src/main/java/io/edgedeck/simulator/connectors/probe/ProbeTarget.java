package io.edgedeck.simulator.connectors.probe;

import java.net.URI;

/**
 * What to probe for one node PoP: an HTTP URL, a TCP {@code host:port}, or both (each gets its own
 * probes and its own jitter).
 *
 * <p>JSON: {@code {"pop": "fra", "url": "https://fra.edge.example.com/healthz", "tcp": "fra.edge.example.com:443"}}.
 *
 * @param pop the node's PoP id the measurements count for
 * @param url an http or https URL answered by that PoP (optional if {@code tcp} is given)
 * @param tcp {@code host:port} whose TCP connect time is measured (optional if {@code url} is given)
 */
public record ProbeTarget(String pop, String url, String tcp) {
    public ProbeTarget {
        if (pop == null || pop.isBlank()) {
            throw new IllegalArgumentException("pop is required");
        }
        if (url == null && tcp == null) {
            throw new IllegalArgumentException("a probe target for " + pop + " needs url, tcp or both");
        }
        if (url != null) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url is not a URL: " + url);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("url must be an http or https URL with a host, not " + url);
            }
        }
        if (tcp != null) {
            hostAndPort(tcp);
        }
    }

    /**
     * The URL as the node shows it (the audit trail, the Sources panel, {@code /metrics}, probe
     * errors): scheme, host, port and path, without the credentials or the query, either of which
     * may carry a token; {@code ?…} marks a query left out. Null when the target has no URL.
     */
    public String shownUrl() {
        if (url == null) {
            return null;
        }
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "")
                + (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() != null || u.getRawFragment() != null ? "?…" : "");
    }

    /** The TCP target's host. */
    String tcpHost() {
        return hostAndPort(tcp)[0];
    }

    /** The TCP target's port. */
    int tcpPort() {
        return Integer.parseInt(hostAndPort(tcp)[1]);
    }

    private static String[] hostAndPort(String tcp) {
        int colon = tcp.lastIndexOf(':');
        if (colon <= 0 || colon == tcp.length() - 1) {
            throw new IllegalArgumentException("tcp must be host:port, not " + tcp);
        }
        String host = tcp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(tcp.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tcp must end in a port from 1 to 65535, not " + tcp);
        }
        return new String[]{host, tcp.substring(colon + 1)};
    }
}
