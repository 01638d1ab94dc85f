package io.edgedeck.simulator.server.metrics;

import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.NodeToken;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** The Prometheus text exposition at {@code /metrics}, opened by the node's read key. */
public final class MetricsLane {
    private final Supplier<CompletableFuture<String>> exposition;
    private final Duration timeout;
    private final Access access;

    /**
     * @param exposition renders the exposition (on the engine thread, between ticks)
     * @param timeout    how long a scrape waits for the engine before it is a 503
     */
    public MetricsLane(Supplier<CompletableFuture<String>> exposition, Duration timeout, NodeToken readKey) {
        this.exposition = exposition;
        this.timeout = timeout;
        this.access = access(readKey);
    }

    /** Who may scrape, and evaluate flags over OFREP: the read key, as a bearer token or {@code X-API-Key}. */
    public static Access access(NodeToken readKey) {
        return Access.bearerOrApiKey(readKey, Access.READ_KEY, "the node's read key is required (Authorization: Bearer, or X-API-Key)");
    }

    public Lane lane() {
        // Probes and scrapers add query parameters of their own (a load balancer's health check, Prometheus's
        // params:); this route reads none and changes nothing, so it refuses none.
        return new Lane("/metrics", access, List.of(Route.get("", c -> {
            try {
                String text = exposition.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return Reply.bytes(200, PrometheusExposition.CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
            } catch (TimeoutException | ExecutionException e) {
                throw new ApiException(503, null, "the engine did not answer in time");
            }
        }).takingAnyQuery()));
    }
}
