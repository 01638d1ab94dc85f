package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.scenario.Approvals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input is a 400 naming the field whatever the state: a change that would change nothing (a kill of a
 * killed flag, an arm of an armed guardrail) or cannot be made (a cancel of a cancelled change) still refuses a blank reason, so a client learns of its bad
 * request on the flag it tries it on.
 */
class NoOpInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void aChangeThatChangesNothingStillRefusesABlankReason() throws Exception {
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, Approvals.NONE)) {
            HttpResponse<String> scheduled = live.send("POST", "/schedule",
                    "{\"cue\": \"drop\", \"action\": {\"type\": \"kill\", \"flag\": \"checkout-button\"}, \"reason\": \"at the drop\"}");
            assertEquals(201, scheduled.statusCode(), scheduled.body());
            String cancel = "/schedule/" + JSON.readTree(scheduled.body()).get("id").asText() + "/cancel";
            assertEquals(200, live.send("POST", cancel, "{\"reason\": \"not tonight\"}").statusCode());
            assertEquals(200, live.send("POST", "/flags/checkout-button/kill", "{\"reason\": \"button broke\"}").statusCode());
            int audited = JSON.readTree(live.send("GET", "/audit", null).body()).size();
            for (String path : new String[] {"/flags/checkout-button/kill", "/guardrails/sentiment-guard/arm", cancel}) {
                for (String blank : new String[] {"{\"reason\": \"   \"}", "{\"reason\": \"\"}", "{}"}) {
                    HttpResponse<String> r = live.send("POST", path, blank);
                    assertEquals(400, r.statusCode(), path + " " + blank + ": " + r.body());
                    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
                    JsonNode problem = JSON.readTree(r.body());
                    assertEquals("reason", problem.path("field").asText(), path + " " + blank + ": " + r.body());
                }
            }
            assertEquals(audited, JSON.readTree(live.send("GET", "/audit", null).body()).size(), "nothing audited");
            assertTrue(JSON.readTree(live.send("GET", "/flags/checkout-button", null).body()).get("killed").asBoolean());
        }
    }
}
