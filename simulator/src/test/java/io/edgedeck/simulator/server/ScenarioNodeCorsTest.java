package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node serving a scenario (not --live) has no node config, so no {@code cors.allowedOrigins}: a browser's preflight is
 * refused by name, and the refusal says how to start a node that lists the origin rather than naming a config there is not.
 */
class ScenarioNodeCorsTest {
    @Test
    void aPreflightSaysHowToStartANodeThatListsTheOrigin(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture node = new LiveNodeFixture(new EdgeNode.Config(ShowDefinition.of(ScenarioCatalog.resolve("steady-show")),
                1, InetAddress.getLoopbackAddress(), 0, dir))) {
            node.start();
            HttpResponse<String> r = node.http().send(HttpRequest.newBuilder(node.node().baseUri().resolve("/ofrep/v1/evaluate/flags"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://shop.example")
                    .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("the origin 'https://shop.example' may not call /ofrep/v1/evaluate/flags from a browser: this node serves"
                    + " a scenario, not --live, with no node config, so it lists no origin; to let pages on this one"
                    + " call it, start it again with --live --node-config FILE whose cors.allowedOrigins lists \"https://shop.example\"",
                    new ObjectMapper().readTree(r.body()).get("detail").asText());
        }
    }
}
