package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encoder faults fired over a rehearsal node's API in a show whose script has no encoder: the frames
 * carry the encoder as judged, and a wrong size is refused naming {@code magnitude}.
 */
class EncoderCueNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBitrateCollapseFiredOverTheApiIsJudgedAndABadLagIsRefused(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture node = new LiveNodeFixture(new EdgeNode.Config(EndedShowNodeTest.shortShow(600), 20,
                InetAddress.getLoopbackAddress(), 0, dir))) {
            node.start();
            String admin = node.key("token");
            HttpResponse<String> refused = node.send("POST", "/api/v1/show/cues", admin,
                    "{\"type\":\"encoder-rendering-lag\",\"magnitude\":3,\"durationSeconds\":30}");
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            assertEquals("magnitude", JSON.readTree(refused.body()).get("field").asText(), refused.body());
            assertTrue(encoder(node, admin).isNull() || encoder(node, admin).isMissingNode(), "a refused cue leaves no encoder in the frames");

            HttpResponse<String> fired = node.send("POST", "/api/v1/show/cues", admin,
                    "{\"type\":\"encoder-bitrate\",\"magnitude\":800,\"durationSeconds\":60}");
            assertEquals(204, fired.statusCode(), fired.body());
            String[] why = new String[1];
            LiveNodeFixture.await("the encoder reads red in the frames", () -> {
                JsonNode e = encoder(node, admin);
                why[0] = e.path("why").asText();
                return "BAD".equals(e.path("level").asText());
            });
            assertTrue(why[0].startsWith("bitrate 800 kb/s, 13% of its usual 6,000 kb/s"), why[0]);
        }
    }

    private static JsonNode encoder(LiveNodeFixture node, String key) {
        try {
            return JSON.readTree(node.send("GET", "/api/v1/frames/latest", key, null).body()).path("encoder");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
