package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: up, read-only (the journal cannot be written), ingest-failing (a live node's
 * ingest log cannot be written: {@code ingest} names why) or failed (503), which show and how far;
 * needs no key. Answers from the newest frame and what the last ingest append found, never waiting on
 * the engine.
 */
final class HealthLane {
    private final Supplier<MetricsFrame> latest;
    private final Supplier<String> ingestFailure;

    /** @param ingestFailure why the ingest log cannot be written, or null while it can (or the node takes no ingest) */
    HealthLane(Supplier<MetricsFrame> latest, Supplier<String> ingestFailure) {
        this.latest = latest;
        this.ingestFailure = ingestFailure;
    }

    Lane lane() {
        // Probes and scrapers add query parameters of their own (a load balancer's health check, Prometheus's
        // params:); this route reads none and changes nothing, so it refuses none.
        return new Lane("/healthz", Access.anyone(), List.of(Route.get("", c -> {
            MetricsFrame f = latest.get();
            NodeCondition node = f == null ? NodeCondition.OK : f.node();
            String ingest = ingestFailure.get();
            ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("status", switch (node.status()) {
                case OK -> ingest == null ? "ok" : "ingest-failing";
                case READ_ONLY -> "read-only";
                case FAILED -> "failed";
            });
            if (!node.detail().isEmpty()) {
                body.put("detail", node.detail());
            } else if (ingest != null && node.status() == NodeCondition.Status.OK) {
                body.put("detail", ingest);
            }
            if (ingest != null) {
                // Named apart too, so a node read-only for its journal still says its ingest lane is down.
                body.putObject("ingest").put("status", "failing").put("detail", ingest);
            }
            if (f != null) {
                body.put("scenario", f.scenario()).put("state", f.state().name()).put("sequence", f.sequence());
            }
            // A failed node is not healthy: a supervisor or load balancer should see it. A read-only one, or
            // one whose ingest lane fails, still serves reads and frames, so it answers 200 and says what it cannot do.
            return node.status() == NodeCondition.Status.FAILED ? Reply.json(503, body) : Reply.ok(body);
        }).takingAnyQuery()));
    }
}
