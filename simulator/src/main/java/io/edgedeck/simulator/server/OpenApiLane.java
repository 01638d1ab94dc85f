package io.edgedeck.simulator.server;

import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /openapi.json}: the OpenAPI document of the node's HTTP API, the one edge-client keeps
 * (and the tests hold the node to), so a client generator or a person can read what this node
 * answers. It describes, it grants nothing: no key is needed, as for {@code /healthz}.
 */
final class OpenApiLane {
    /** Where the document lives on the class path: edge-client's copy. */
    static final String RESOURCE = "/io/edgedeck/client/openapi.json";

    private OpenApiLane() {
    }

    static Lane lane() {
        byte[] document = document();
        return new Lane("/openapi.json", Access.anyone(), List.of(Route.get("", c -> Reply.bytes(200, "application/json", document))));
    }

    private static byte[] document() {
        try (InputStream in = OpenApiLane.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the OpenAPI document " + RESOURCE, e);
        }
    }
}
