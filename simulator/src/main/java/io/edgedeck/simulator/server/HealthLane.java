package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.util.List;
import java.util.function.Supplier;

/** {@code GET /healthz}: up or not, which show and how far; needs no key. Answers from the newest frame, never waiting on the engine. */
final class HealthLane {
    private final Supplier<MetricsFrame> latest;

    HealthLane(Supplier<MetricsFrame> latest) {
        this.latest = latest;
    }

    Lane lane() {
        return new Lane("/healthz", Access.anyone(), List.of(Route.get("", c -> {
            MetricsFrame f = latest.get();
            ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("status", "ok");
            if (f != null) {
                body.put("scenario", f.scenario()).put("state", f.state().name()).put("sequence", f.sequence());
            }
            return Reply.ok(body);
        })));
    }
}
