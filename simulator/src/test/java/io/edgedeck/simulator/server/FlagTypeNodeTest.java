package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.scenario.NodeConfig;
import io.edgedeck.simulator.scenario.NodeConfigParser;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flag keeps the OFREP type it was declared with (docs/API.md): on a live node and in a rehearsal of the
 * same show, a change that would make the boolean flag {@code banner} (variants off and on) a string flag,
 * or the string flag checkout-button a boolean one, is refused 409 naming {@code variants}, and the flag
 * keeps its version and its boolean value; a change of its weights alone is taken.
 */
class FlagTypeNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** docs/examples/node-config.json with a boolean flag {@code banner}, off 70% and on 30%. */
    static ObjectNode config() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("..", "docs", "examples", "node-config.json")));
        ObjectNode banner = ((ArrayNode) root.get("flags")).addObject().put("key", "banner")
                .put("description", "The drop's banner over the player.").put("owner", "growth").put("control", "off");
        banner.putArray("variants").add(JSON.createObjectNode().put("name", "off").put("weight", 70))
                .add(JSON.createObjectNode().put("name", "on").put("weight", 30));
        return root;
    }

    private static String patch(long expectedVersion, String variants) {
        return "{\"expectedVersion\":" + expectedVersion + ",\"variants\":" + variants + ",\"reason\":\"type check\"}";
    }

    private static void refusedNamingVariants(HttpResponse<String> r, String said) throws Exception {
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        JsonNode problem = JSON.readTree(r.body());
        assertEquals("variants", problem.path("field").asText(), r.body());
        assertTrue(problem.path("detail").asText().contains(said), r.body());
        assertTrue(problem.path("detail").asText().endsWith("nothing changed"), r.body());
    }

    /** Every change that would break banner's or checkout-button's type is refused; banner's weights change. */
    private static void typesAreKept(LiveNodeFixture node) throws Exception {
        String admin = node.key("token");
        refusedNamingVariants(node.send("PATCH", "/api/v1/flags/banner", admin,
                patch(1, "[{\"name\":\"off\",\"weight\":7000},{\"name\":\"on\",\"weight\":3000},{\"name\":\"new\",\"weight\":0}]")),
                "is a boolean flag");
        refusedNamingVariants(node.send("PATCH", "/api/v1/flags/banner", admin,
                patch(1, "[{\"name\":\"off\",\"weight\":7000},{\"name\":\"yes\",\"weight\":3000}]")), "is a boolean flag");
        refusedNamingVariants(node.send("PATCH", "/api/v1/flags/banner", admin,
                patch(1, "[{\"name\":\"off\",\"weight\":10000}]")), "is a boolean flag");
        refusedNamingVariants(node.send("PATCH", "/api/v1/flags/checkout-button", admin,
                patch(1, "[{\"name\":\"on\",\"weight\":5000},{\"name\":\"off\",\"weight\":5000}]")), "is a string flag");
        for (JsonNode flag : JSON.readTree(node.send("GET", "/api/v1/flags", admin, null).body())) {
            assertEquals(1, flag.get("version").asLong(), "a refused change changes no version: " + flag);
        }
        HttpResponse<String> weights = node.send("PATCH", "/api/v1/flags/banner", admin,
                patch(1, "[{\"name\":\"on\",\"weight\":5000},{\"name\":\"off\",\"weight\":5000}]"));
        assertEquals(200, weights.statusCode(), weights.body());
        assertEquals(2, JSON.readTree(weights.body()).get("version").asLong());
    }

    @Test
    void aLiveNodeKeepsEachFlagsType(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture node = new LiveNodeFixture(config().toString(), dir)) {
            node.start();
            typesAreKept(node);
            String readKey = node.key("read-key");
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = node.send("POST", "/ofrep/v1/evaluate/flags/banner", readKey,
                        "{\"context\":{\"targetingKey\":\"u" + i + "\"}}");
                assertEquals(200, r.statusCode(), r.body());
                JsonNode answer = JSON.readTree(r.body());
                assertTrue(answer.get("value").isBoolean(), r.body());
                assertEquals(answer.get("variant").asText().equals("on"), answer.get("value").asBoolean(), r.body());
            }
        }
    }

    @Test
    void aRehearsalKeepsEachFlagsTypeAsANodeDoes(@TempDir Path dir) throws Exception {
        NodeConfig parsed = NodeConfigParser.parse(config().toString().getBytes(StandardCharsets.UTF_8));
        EdgeNode.Config rehearsal = new EdgeNode.Config(new ShowDefinition(parsed.show(), parsed.show().seed()), 1,
                InetAddress.getLoopbackAddress(), 0, dir);
        try (LiveNodeFixture node = new LiveNodeFixture(rehearsal)) {
            node.start();
            typesAreKept(node);
        }
    }

    @Test
    void aDeclaredPlaybookThatWouldChangeAFlagsTypeIsRefusedWhenLoaded() throws Exception {
        ObjectNode root = config();
        ObjectNode playbook = ((ArrayNode) root.get("playbooks")).addObject().put("id", "banner-off")
                .put("description", "Banner off for good.");
        ObjectNode action = playbook.putArray("actions").addObject().put("type", "change").put("flag", "banner");
        action.putArray("variants").add(JSON.createObjectNode().put("name", "off").put("weight", 100));
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class,
                () -> NodeConfigParser.parse(root.toString().getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("$.playbooks[1].actions[0].variants"), e.getMessage());
        assertTrue(e.getMessage().contains("is a boolean flag"), e.getMessage());
    }
}
