package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the aggregator answers for every operation of a node's API it does not serve, so a caller learns why and
 * where to go instead of a bare 404: a read the fleet cannot answer truthfully (each node's own audit, history,
 * requests, playbooks, sources...) is 404, a change is 403 (the aggregator takes none: a change made on any node
 * reaches every node through the control topic), ingest 404. The operations are the node's, read
 * from the OpenAPI document a node serves, so a route a node gains is refused here without a second list.
 */
final class FleetRefusals {
    private static final String CHANGES = "the fleet aggregator takes no changes but a show cue for every node: make this one"
            + " on a node's API (nodes: %s); a flag change, kill, unkill, restore or rollback and a guardrail's arming made on any"
            + " node reach every node through the control topic";
    private static final String READS = "the fleet aggregator does not serve %s: each node keeps its own; read it on a node's"
            + " API (nodes: %s)";
    private static final String INGEST = "the fleet aggregator takes no events: send them to the node serving their PoP"
            + " (nodes: %s)";

    private FleetRefusals() {
    }

    /** Every {@code /api/v1} operation of a node that {@code served} does not answer, refused. */
    static List<Route> api(List<Route> served, Supplier<String> nodes) {
        return refusing("/api/v1", served, (method, path) -> method.equals("GET")
                ? new ApiException(404, null, READS.formatted("GET /api/v1" + path, nodes.get()))
                : ApiException.refused(ApiException.AGGREGATOR_TAKES_NO_CHANGES, CHANGES.formatted(nodes.get())));
    }

    static List<Route> ingest(Supplier<String> nodes) {
        return refusing("/ingest/v1", List.of(), (method, path) -> new ApiException(404, null, INGEST.formatted(nodes.get())));
    }

    private interface Refusal {
        ApiException of(String method, String path);
    }

    private static List<Route> refusing(String prefix, List<Route> served, Refusal refusal) {
        List<Route> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document().get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String path = entry.getKey();
            if (!path.startsWith(prefix + "/")) {
                continue;
            }
            String relative = path.substring(prefix.length());
            for (Iterator<String> methods = entry.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "PUT", "POST", "PATCH").contains(method)
                        || served.stream().anyMatch(r -> r.method().equals(method) && r.path().equals(relative))) {
                    continue;
                }
                // Refused whatever its query: the answer names the nodes that serve it, which is what the caller needs.
                out.add(new Route(method, relative, c -> {
                    throw refusal.of(method, relative);
                }).takingAnyQuery());
            }
        }
        return out;
    }

    private static JsonNode document() {
        try (InputStream in = FleetRefusals.class.getResourceAsStream(OpenApiLane.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + OpenApiLane.RESOURCE + " is not on the class path");
            }
            return JsonBodies.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the OpenAPI document " + OpenApiLane.RESOURCE, e);
        }
    }
}
