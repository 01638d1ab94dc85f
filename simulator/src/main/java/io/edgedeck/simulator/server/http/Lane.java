package io.edgedeck.simulator.server.http;

import java.util.List;

/**
 * One job of the node's HTTP side, under one path prefix, opened by one key. The node mounts:
 * {@code /healthz} (no key), the control API {@code /api/v1} (the admin token), OFREP
 * {@code /ofrep/v1} and {@code /metrics} (the read key); a live node also the ingest API
 * {@code /ingest/v1} (the write-only ingest key) and {@code /api/v1/ingest/stats} (admin token or
 * read key). A new job is a new lane with its own key, one more entry in {@code EdgeNode}'s list.
 *
 * @param prefix the path the lane serves, e.g. {@code /api/v1}; its routes' paths are relative to it
 * @param access who may call it; checked before any route is matched, so a stranger learns nothing of the paths
 */
public record Lane(String prefix, Access access, List<Route> routes) {
    public Lane {
        routes = List.copyOf(routes);
    }
}
