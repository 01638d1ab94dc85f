package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.fleet.FleetTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aggregator's keys as a node's: a key it does not know is a 401 naming the key the route wants;
 * its admin token where only its read key opens the route ({@code /metrics}, {@code /ofrep/v1}) is known,
 * and told so, 403 problem+json saying which key opens what. The aggregator serves without Kafka
 * reachable, so none is needed here.
 */
class FleetKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void itsAdminTokenWhereOnlyTheReadKeyOpensIs403AndAnUnknownKeyIs401(@TempDir Path dir) throws Exception {
        try (FleetServer aggregator = FleetServer.start(new FleetOptions("127.0.0.1:9", null, new FleetTopics("edgedeck.", 1, (short) 1),
                null), InetAddress.getLoopbackAddress(), 0, dir, 0)) {
            String token = Files.readString(aggregator.tokenFile()).trim();
            String readKey = Files.readString(aggregator.readKeyFile()).trim();
            for (String lane : List.of("/metrics", "/ofrep/v1")) {
                String path = lane.equals("/metrics") ? "/metrics" : "/ofrep/v1/evaluate/flags";
                for (String header : List.of("Authorization", "X-API-Key")) {
                    String value = header.equals("Authorization") ? "Bearer " + token : token;
                    HttpResponse<String> known = call(aggregator, path, header, value);
                    assertEquals(403, known.statusCode(), path + " " + header + ": " + known.body());
                    assertEquals("application/problem+json", known.headers().firstValue("Content-Type").orElse(""));
                    JsonNode problem = JSON.readTree(known.body());
                    assertEquals(403, problem.get("status").asInt());
                    assertEquals("wrong-lane", problem.path("reason").asText(), known.body());
                    assertEquals("this key does not open " + lane + ": the aggregator's read key opens /metrics and /ofrep/v1,"
                            + " its read key and admin token /api/v1", problem.get("detail").asText());
                    assertTrue(!known.body().contains(token), "the key is never in an answer");
                }
                HttpResponse<String> unknown = call(aggregator, path, "Authorization", "Bearer not-a-key-of-this-aggregator");
                assertEquals(401, unknown.statusCode(), unknown.body());
                assertEquals("application/problem+json", unknown.headers().firstValue("Content-Type").orElse(""));
                assertEquals("the aggregator's read key is required (Authorization: Bearer, or X-API-Key)",
                        JSON.readTree(unknown.body()).get("detail").asText());
                HttpResponse<String> none = call(aggregator, path, null, null);
                assertEquals(401, none.statusCode(), none.body());
            }
            assertEquals(200, call(aggregator, "/metrics", "Authorization", "Bearer " + readKey).statusCode());
            // /api/v1 takes both keys; a key it does not know is a 401 there too.
            for (String key : List.of(token, readKey)) {
                assertEquals(200, call(aggregator, "/api/v1/fleet", "Authorization", "Bearer " + key).statusCode());
            }
            assertEquals(401, call(aggregator, "/api/v1/fleet", "Authorization", "Bearer not-a-key-of-this-aggregator").statusCode());
        }
    }

    private HttpResponse<String> call(FleetServer aggregator, String path, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(aggregator.baseUri().resolve(path)).timeout(Duration.ofSeconds(10));
        if (path.startsWith("/ofrep/")) {
            request.POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"viewer-1\"}}"))
                    .header("Content-Type", "application/json");
        }
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
