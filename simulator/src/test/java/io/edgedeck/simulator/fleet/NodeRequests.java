package io.edgedeck.simulator.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Tests' requests to a node's API: a bearer token, a JSON body or none. */
public final class NodeRequests {
    private NodeRequests() {
    }

    public static HttpResponse<String> send(HttpClient http, URI base, String method, String path, String token, String body)
            throws Exception {
        return send(http, base, method, path, token, body, null);
    }

    /** The same, with an {@code Idempotency-Key} (none when null). */
    public static HttpResponse<String> send(HttpClient http, URI base, String method, String path, String token, String body,
                                     String idempotencyKey) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            r.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every flag's weights and kill as the node serves them, by key (its admin token). */
    public static java.util.Map<String, String> flags(HttpClient http, io.edgedeck.simulator.server.EdgeNode node) throws Exception {
        HttpResponse<String> r = send(http, node.baseUri(), "GET", "/api/v1/flags", token(node), null);
        org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode(), r.body());
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (com.fasterxml.jackson.databind.JsonNode f : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body())) {
            out.put(f.get("key").asText(), f.get("variants").toString() + (f.get("killed").asBoolean() ? " killed" : ""));
        }
        return out;
    }

    /** The node's audit entries of {@code action} (its admin token). */
    public static java.util.List<com.fasterxml.jackson.databind.JsonNode> audit(HttpClient http, io.edgedeck.simulator.server.EdgeNode node,
                                                                            String action) throws Exception {
        HttpResponse<String> r = send(http, node.baseUri(), "GET", "/api/v1/audit", token(node), null);
        org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode(), r.body());
        java.util.List<com.fasterxml.jackson.databind.JsonNode> entries = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).forEach(e -> {
            if (e.get("action").asText().equals(action)) {
                entries.add(e);
            }
        });
        return entries;
    }

    private static String token(io.edgedeck.simulator.server.EdgeNode node) throws java.io.IOException {
        return java.nio.file.Files.readString(node.dataDir().resolve("token")).trim();
    }

    /** Posts an NDJSON batch of events to a node's ingest API with its ingest key; the answer is checked by the caller. */
    static HttpResponse<String> ingest(HttpClient http, io.edgedeck.simulator.server.EdgeNode node, String ndjson) throws Exception {
        return http.send(HttpRequest.newBuilder(node.baseUri().resolve("/ingest/v1/events"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer "
                        + java.nio.file.Files.readString(node.ingestKeyFile()).trim())
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
