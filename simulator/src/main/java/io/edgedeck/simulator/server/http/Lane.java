package io.edgedeck.simulator.server.http;

import java.util.List;

/**
 * One job of the node's HTTP side, under one path prefix, opened by one key. The node mounts:
 * {@code /healthz} (no key), the control API {@code /api/v1} (the admin token), OFREP
 * {@code /ofrep/v1} and {@code /metrics} (the read key). A new job is a new lane with its own key:
 * the ingest API ({@code POST /ingest/v1/events}, opened by a write-only ingest key) is mounted the
 * same way, as one more entry in {@code EdgeNode}'s list of lanes.
 *
 * @param prefix the path the lane serves, e.g. {@code /api/v1}; its routes' paths are relative to it
 * @param access who may call it; checked before any route is matched, so a stranger learns nothing of the paths
 */
public record Lane(String prefix, Access access, List<Route> routes) {
    public Lane {
        routes = List.copyOf(routes);
    }
}
