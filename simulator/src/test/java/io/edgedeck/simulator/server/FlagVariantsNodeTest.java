package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node (docs/examples/node-config.json) bounds a flag's variants at 32 (docs/API.md), and a variant a
 * change takes away leaves the frames and {@code /metrics} with it unless it has exposures, whose numbers stay.
 */
class FlagVariantsNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLAG = "checkout-button";

    /** control, treatment and {@code extra} with these weights, then {@code spare-N} at 0 up to {@code count} variants. */
    private static String variants(int control, int treatment, int extra, int count) {
        List<String> out = new ArrayList<>(List.of(variant("control", control), variant("treatment", treatment)));
        if (extra >= 0) {
            out.add(variant("extra", extra));
        }
        for (int i = out.size(); i < count; i++) {
            out.add(variant("spare-" + i, 0));
        }
        return "[" + String.join(",", out) + "]";
    }

    private static String variant(String name, int weight) {
        return "{\"name\":\"" + name + "\",\"weight\":" + weight + "}";
    }

    private static String patch(long expectedVersion, String variants) {
        return "{\"expectedVersion\":" + expectedVersion + ",\"variants\":" + variants + ",\"reason\":\"variants per flag\"}";
    }

    /** The variants of the flag the newest frame carries, once it shows the flag at {@code version}. */
    private static Set<String> frameVariants(LiveNodeFixture node, long version, String withExposures) throws Exception {
        Set<String> names = new TreeSet<>();
        LiveNodeFixture.await("a frame shows " + FLAG + " at version " + version
                + (withExposures == null ? "" : " and exposures of " + withExposures), () -> {
            try {
                JsonNode frame = JSON.readTree(node.send("GET", "/api/v1/frames/latest", node.key("token"), null).body());
                boolean atVersion = false;
                for (JsonNode f : frame.path("flags")) {
                    atVersion |= f.get("key").asText().equals(FLAG) && f.get("version").asLong() == version;
                }
                names.clear();
                boolean exposed = withExposures == null;
                for (JsonNode v : frame.path("variants")) {
                    if (v.get("flag").asText().equals(FLAG)) {
                        names.add(v.get("variant").asText());
                        exposed |= v.get("variant").asText().equals(withExposures) && v.get("exposures").asLong() > 0;
                    }
                }
                return atVersion && exposed;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return names;
    }

    @Test
    void aFlagHasAtMost32VariantsAndOnlyThoseWithNumbersOutliveTheirRemoval(@TempDir Path dir) throws Exception {
        String config = Files.readString(Path.of("..", "docs", "examples", "node-config.json"));
        try (LiveNodeFixture node = new LiveNodeFixture(config, dir)) {
            node.start();
            String admin = node.key("token");
            HttpResponse<String> tooMany = node.send("PATCH", "/api/v1/flags/" + FLAG, admin, patch(1, variants(5000, 5000, -1, 33)));
            assertEquals(400, tooMany.statusCode(), tooMany.body());
            JsonNode problem = JSON.readTree(tooMany.body());
            assertEquals("variants", problem.get("field").asText(), tooMany.body());
            assertTrue(problem.get("detail").asText().contains("has 33 variants; a flag has at most 32"), tooMany.body());

            HttpResponse<String> most = node.send("PATCH", "/api/v1/flags/" + FLAG, admin, patch(1, variants(5000, 0, 5000, 32)));
            assertEquals(200, most.statusCode(), most.body());
            assertEquals(32, JSON.readTree(most.body()).get("variants").size());
            assertTrue(frameVariants(node, 2, null).contains("spare-31"));

            // units served extra at the default PoP, once version 2 is live there
            String readKey = node.key("read-key");
            int served = 0;
            for (int i = 0; served == 0 || i < 20; i++) {
                JsonNode answer = JSON.readTree(node.send("POST", "/ofrep/v1/evaluate/flags/" + FLAG, readKey,
                        "{\"context\":{\"targetingKey\":\"unit-" + i + "\"}}").body());
                served += answer.path("variant").asText().equals("extra") ? 1 : 0;
                assertTrue(i < 2000, "no unit was served extra: " + answer);
            }
            frameVariants(node, 2, "extra");

            HttpResponse<String> back = node.send("PATCH", "/api/v1/flags/" + FLAG, admin, patch(2, variants(5000, 5000, -1, 2)));
            assertEquals(200, back.statusCode(), back.body());
            assertEquals(Set.of("control", "treatment", "extra"), frameVariants(node, 3, null),
                    "extra keeps its exposures; the spares never had any");
            String metrics = node.send("GET", "/metrics", readKey, null).body();
            assertTrue(metrics.contains("variant=\"extra\""), metrics);
            assertFalse(metrics.contains("spare-"), "a removed variant without exposures is no series of /metrics");
        }
    }
}
