package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser's preflight to the aggregator's OFREP is answered as a node answers it: 204 to an origin its node
 * config lists, else a 403 naming the origin, never a 401 asking for a key a preflight cannot send; and it says which
 * build it runs ({@code GET /api/v1/node}) to its keys. The aggregator serves without Kafka reachable, so none is
 * needed here.
 */
class FleetCorsTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> preflight(FleetServer aggregator, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(aggregator.baseUri().resolve("/ofrep/v1/evaluate/flags"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static FleetServer aggregator(Path dir, List<String> origins) throws Exception {
        return FleetServer.start(new FleetOptions("127.0.0.1:9", null, new FleetTopics("edgedeck.", 1, (short) 1), null),
                InetAddress.getLoopbackAddress(), 0, dir, 0, null, null, origins);
    }

    @Test
    void aPreflightFromAnOriginNotListedIs403NamingItAndAListedOneIsGranted(@TempDir Path dir) throws Exception {
        try (FleetServer none = aggregator(dir.resolve("none"), List.of())) {
            HttpResponse<String> r = preflight(none, "https://shop.example");
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            String detail = new ObjectMapper().readTree(r.body()).get("detail").asText();
            assertTrue(detail.startsWith("the origin 'https://shop.example' may not call /ofrep/v1/evaluate/flags from a browser"), detail);
            assertEquals("origin-not-allowed", new ObjectMapper().readTree(r.body()).path("reason").asText(), r.body());
            assertTrue(detail.contains("cors.allowedOrigins lists no origin"), detail);
            // The advice is copied into a config: an origin of a real host's length is repeated whole in it.
            String longOrigin = "https://checkout-eu-west.merch-drops.example-broadcaster.example:8443";
            String advice = new ObjectMapper().readTree(preflight(none, longOrigin).body()).get("detail").asText();
            assertTrue(advice.contains("add \"" + longOrigin + "\" there"), advice);
        }
        try (FleetServer none = aggregator(dir.resolve("no-config"), null)) {
            HttpResponse<String> r = preflight(none, "https://shop.example");
            assertEquals(403, r.statusCode(), r.body());
            String detail = new ObjectMapper().readTree(r.body()).get("detail").asText();
            // Started without a node config, there is no node config to add the origin to: it says what to do instead.
            assertEquals("the origin 'https://shop.example' may not call /ofrep/v1/evaluate/flags from a browser: this aggregator"
                    + " was started without --node-config, so it lists no origin; to let pages on this one call it, start it again with"
                    + " --node-config FILE whose cors.allowedOrigins lists \"https://shop.example\"", detail);
        }
        try (FleetServer listed = aggregator(dir.resolve("listed"), List.of("https://shop.example"))) {
            HttpResponse<String> r = preflight(listed, "https://shop.example");
            assertEquals(204, r.statusCode(), r.body());
            assertEquals("https://shop.example", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertEquals("GET, POST", r.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
            assertEquals(403, preflight(listed, "https://other.example").statusCode());
            // The aggregator says which build it runs, as a node does: to its read key and admin token, not without one.
            java.time.Instant before = java.time.Instant.now().minusSeconds(60);
            for (Path key : List.of(listed.readKeyFile(), listed.tokenFile())) {
                NodeInfoNodeTest.assertAnswer(http.send(HttpRequest.newBuilder(listed.baseUri().resolve("/api/v1/node"))
                        .header("Authorization", "Bearer " + java.nio.file.Files.readString(key).trim())
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()), "fleet-aggregator", before);
            }
            assertEquals(401, http.send(HttpRequest.newBuilder(listed.baseUri().resolve("/api/v1/node")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
