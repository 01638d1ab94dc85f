package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rehearsal node served over HTTP whose show has played to its end serves no one: every change is refused
 * (409 problem+json saying the show has ended), as the console's in-process rehearsal refuses it.
 */
class EndedShowNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The steady show cut to {@code seconds}: a show that ends in a moment at full speed. */
    static ShowDefinition shortShow(int seconds) throws java.io.IOException {
        Scenario s = ScenarioCatalog.resolve("steady-show");
        return ShowDefinition.of(new Scenario(s.name(), s.description(), s.seed(), seconds, s.frameMillis(), s.pops(), s.regions(),
                s.audience(), s.flags(), s.triggers(), s.guardrails(), List.of(), s.approvals(), s.playbooks()));
    }

    @Test
    void everyChangeToAnEndedShowIsRefusedSayingSo(@TempDir Path dir) throws Exception {
        try (LiveNodeFixture node = new LiveNodeFixture(new EdgeNode.Config(shortShow(3), 0, InetAddress.getLoopbackAddress(), 0, dir))) {
            node.start();
            String admin = node.key("token");
            LiveNodeFixture.await("the show ends", () -> {
                try {
                    return "FINISHED".equals(JSON.readTree(node.send("GET", "/api/v1/frames/latest", admin, null).body())
                            .path("state").asText());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            String flag = "/api/v1/flags/checkout-button";
            String rollback = "{\"type\":\"rollback\",\"flag\":\"checkout-button\",\"variant\":\"treatment\",\"pops\":[\"fra\"]}";
            // A playbook is the node's own set-up, made whether or not the show still plays; running it is a change.
            HttpResponse<String> made = node.send("POST", "/api/v1/playbooks", admin,
                    "{\"id\":\"after\",\"actions\":[" + rollback + "],\"reason\":\"after the show\"}");
            assertEquals(201, made.statusCode(), made.body());
            List<String[]> changes = List.of(
                    new String[] {"PATCH", flag, "{\"expectedVersion\":1,\"variants\":[{\"name\":\"control\",\"weight\":10000},"
                            + "{\"name\":\"treatment\",\"weight\":0}],\"reason\":\"after the show\"}"},
                    new String[] {"POST", flag + "/unkill", "{\"reason\":\"after the show\"}"},
                    new String[] {"POST", flag + "/kill", "{\"reason\":\"after the show\"}"},
                    new String[] {"POST", "/api/v1/rollbacks", "{\"flag\":\"checkout-button\",\"variant\":\"treatment\",\"reason\":\"after\"}"},
                    new String[] {"POST", "/api/v1/show/cues", "{\"type\":\"latency-shift\",\"pops\":[\"fra\"],\"magnitude\":50,"
                            + "\"durationSeconds\":10}"},
                    new String[] {"POST", "/api/v1/playbooks/after/run", "{\"reason\":\"after the show\"}"},
                    new String[] {"POST", "/api/v1/schedule", "{\"at\":\"2100-01-01T00:00:00Z\",\"action\":" + rollback
                            + ",\"reason\":\"after the show\"}"},
                    new String[] {"POST", "/api/v1/requests/1/approve", "{\"revision\":1,\"reason\":\"after the show\"}"},
                    new String[] {"POST", "/api/v1/requests/1/apply", "{}"});
            String audited = node.send("GET", "/api/v1/audit", admin, null).body();
            for (String[] c : changes) {
                HttpResponse<String> r = node.send(c[0], c[1], admin, c[2]);
                assertEquals(409, r.statusCode(), c[0] + " " + c[1] + ": " + r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
                assertEquals("the show ended at 00:03: no one is served any more, so nothing was changed",
                        JSON.readTree(r.body()).get("detail").asText(), c[0] + " " + c[1]);
            }
            assertEquals(audited, node.send("GET", "/api/v1/audit", admin, null).body(), "nothing audited");
            JsonNode now = JSON.readTree(node.send("GET", flag, admin, null).body());
            assertEquals(1, now.get("version").asLong(), "nothing changed: " + now);
            assertTrue(!now.get("killed").asBoolean(), now.toString());
        }
    }
}
