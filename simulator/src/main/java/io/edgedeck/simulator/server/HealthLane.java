package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.simulator.fleet.ControlApplier;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: up, read-only (the journal cannot be written), ingest-failing (a live node's
 * ingest log cannot be written: {@code ingest} names why), ingest-stopped (503: its ingest log stopped
 * for good, and only a new start takes batches again) or failed (503), which show and how far, and
 * on a fleet node how far it has read the control topic ({@code control});
 * needs no key. Answers from the newest frame and what the last ingest append found, never waiting on
 * the engine.
 */
final class HealthLane {
    private final Supplier<MetricsFrame> latest;
    private final Supplier<String> ingestFailure;
    private final java.util.function.BooleanSupplier ingestStopped;
    private final Supplier<ControlApplier.Status> control;

    /**
     * @param ingestFailure why the ingest log cannot be written, or null while it can (or the node takes no ingest)
     * @param ingestStopped whether the ingest log stopped for good, until the node is started again
     * @param control       a fleet node's reading of the control topic; null from a node in no fleet
     */
    HealthLane(Supplier<MetricsFrame> latest, Supplier<String> ingestFailure, java.util.function.BooleanSupplier ingestStopped,
               Supplier<ControlApplier.Status> control) {
        this.latest = latest;
        this.ingestFailure = ingestFailure;
        this.ingestStopped = ingestStopped;
        this.control = control;
    }

    Lane lane() {
        // Probes and scrapers add query parameters of their own (a load balancer's health check, Prometheus's
        // params:); this route reads none and changes nothing, so it refuses none.
        return new Lane("/healthz", Access.anyone(), List.of(Route.get("", c -> {
            MetricsFrame f = latest.get();
            NodeCondition node = f == null ? NodeCondition.OK : f.node();
            String ingest = ingestFailure.get();
            boolean stopped = ingest != null && ingestStopped.getAsBoolean();
            ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("status", switch (node.status()) {
                case OK -> ingest == null ? "ok" : stopped ? "ingest-stopped" : "ingest-failing";
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
                body.putObject("ingest").put("status", stopped ? "stopped" : "failing").put("detail", ingest);
            }
            ControlApplier.Status fleet = control.get();
            if (fleet != null) {
                // A fleet node serves the flags it has; whether they are the fleet's is what the control topic says.
                ObjectNode topic = body.putObject("control").put("status", fleet.state()).put("lag", fleet.lag())
                        .put("offset", fleet.offset());
                if (fleet.problem() != null) {
                    topic.put("detail", fleet.problem());
                }
            }
            if (f != null) {
                body.put("scenario", f.scenario()).put("state", f.state().name()).put("sequence", f.sequence());
            }
            // A failed node is not healthy: a supervisor or load balancer should see it; nor is one whose ingest log
            // stopped for good, which only a new start mends. A read-only one, or one whose ingest lane fails for a
            // while, still serves reads and frames, so it answers 200 and says what it cannot do.
            return node.status() == NodeCondition.Status.FAILED || stopped ? Reply.json(503, body) : Reply.ok(body);
        }).takingAnyQuery()));
    }
}
