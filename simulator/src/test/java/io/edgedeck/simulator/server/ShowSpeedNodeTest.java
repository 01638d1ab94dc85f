package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code PUT /api/v1/show/speed} on a real rehearsal node: a speed so small the show would seem to stand still is a
 * 400 naming {@code speed} and the slowest taken, as {@code --speed} refuses it; 0 (as fast as possible) and the
 * slowest itself are taken.
 */
class ShowSpeedNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSpeedTooSlowForTheShowToMoveIsRefusedNamingTheSlowestTaken(@TempDir Path dir) throws Exception {
        ShowDefinition steady = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(steady, 1, InetAddress.getLoopbackAddress(), 0,
                Files.createDirectory(dir.resolve("node"))))) {
            String token = Files.readString(node.tokenFile()).trim();
            for (String[] sent : new String[][] {{"1e-300", "1E-300"}, {"0.0009", "0.0009"}, {"4.9E-324", "4.9E-324"}}) {
                String speed = sent[0];
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/show/speed"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"speed\": " + speed + "}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), speed + ": " + r.body());
                JsonNode problem = JSON.readTree(r.body());
                assertEquals("speed", problem.path("field").asText(), r.body());
                assertEquals("must be 0 (as fast as possible) or from 0.001 (slower, the show would seem to stand still) to 10000 (engine seconds per wall second), was "
                        + sent[1], problem.path("detail").asText().replaceFirst("^.*must", "must"), r.body());
            }
            for (String speed : new String[] {"0.001", "0"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/api/v1/show/speed"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"speed\": " + speed + "}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, r.statusCode(), speed + ": " + r.body());
            }
        }
    }
}
