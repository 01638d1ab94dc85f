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
 * for good, and only a new start takes batches again), stalled (503: the engine thread has been held
 * by one thing longer than a change waits for it, so every change would be refused and nothing moves)
 * or failed (503), which show and how far, and
 * on a fleet node how far it has read the control topic ({@code control}), and, while the node
 * cannot read its operators file and so lets no person's own token in, why ({@code operators});
 * needs no key. Answers from the newest frame and what the last ingest append found, never waiting on
 * the engine.
 */
final class HealthLane {
    private final Supplier<MetricsFrame> latest;
    private final Supplier<String> ingestFailure;
    private final java.util.function.BooleanSupplier ingestStopped;
    private final Supplier<ControlApplier.Status> control;
    private final Supplier<java.time.Duration> stalledFor;
    private final java.time.Duration stalledAfter;
    private final Supplier<String> operatorsProblem;

    /**
     * @param ingestFailure why the ingest log cannot be written, or null while it can (or the node takes no ingest)
     * @param ingestStopped whether the ingest log stopped for good, until the node is started again
     * @param control       a fleet node's reading of the control topic; null from a node in no fleet
     * @param stalledFor    how long the engine thread has been held past going round ({@code ShowRunner.stalledFor})
     * @param stalledAfter  past this the node is stalled: the time a change waits for the engine before its 503
     * @param operatorsProblem why the operators file cannot be read (every personal token refused), or null while it can,
     *                         as the node's last look found it, in words for any caller: read at once, never the file
     */
    HealthLane(Supplier<MetricsFrame> latest, Supplier<String> ingestFailure, java.util.function.BooleanSupplier ingestStopped,
               Supplier<ControlApplier.Status> control, Supplier<java.time.Duration> stalledFor,
               java.time.Duration stalledAfter, Supplier<String> operatorsProblem) {
        this.latest = latest;
        this.ingestFailure = ingestFailure;
        this.ingestStopped = ingestStopped;
        this.control = control;
        this.stalledFor = stalledFor;
        this.stalledAfter = stalledAfter;
        this.operatorsProblem = operatorsProblem;
    }

    Lane lane() {
        // Probes and scrapers add query parameters of their own (a load balancer's health check, Prometheus's
        // params:); this route reads none and changes nothing, so it refuses none.
        return new Lane("/healthz", Access.anyone(), List.of(Route.get("", c -> {
            MetricsFrame f = latest.get();
            NodeCondition node = f == null ? NodeCondition.OK : f.node();
            String ingest = ingestFailure.get();
            boolean stopped = ingest != null && ingestStopped.getAsBoolean();
            java.time.Duration held = stalledFor.get();
            // Frames stop with the engine: the newest one would say ok for as long as it is held.
            boolean stalled = node.status() != NodeCondition.Status.FAILED && held.compareTo(stalledAfter) > 0;
            ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("status", stalled ? "stalled" : switch (node.status()) {
                case OK -> ingest == null ? "ok" : stopped ? "ingest-stopped" : "ingest-failing";
                case READ_ONLY -> "read-only";
                case FAILED -> "failed";
            });
            if (stalled) {
                body.put("detail", String.format(java.util.Locale.ROOT, "the engine has been held by one task for %.1f s, longer"
                        + " than a change waits for it (%.1f s): changes are refused and figures do not move", held.toMillis() / 1000.0,
                        stalledAfter.toMillis() / 1000.0));
            } else if (!node.detail().isEmpty()) {
                body.put("detail", node.detail());
            } else if (ingest != null && node.status() == NodeCondition.Status.OK) {
                body.put("detail", ingest);
            }
            if (ingest != null) {
                // Named apart too, so a node read-only for its journal still says its ingest lane is down.
                body.putObject("ingest").put("status", stopped ? "stopped" : "failing").put("detail", ingest);
            }
            String operators = operatorsProblem.get();
            if (operators != null) {
                // The node serves, and its admin token works: a supervisor need not act, but whoever runs it must fix the file.
                body.putObject("operators").put("status", "unreadable").put("detail", "personal tokens are refused until the"
                        + " operators file is fixed (the admin token still works): " + operators);
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
            return node.status() == NodeCondition.Status.FAILED || stopped || stalled ? Reply.json(503, body) : Reply.ok(body);
        }).takingAnyQuery()));
    }
}
