package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A restarted live node reads its whole ingest log back into the engine second it resumes in: the
 * show's exposures and conversions, all at once. A guardrail that judged that second saw every
 * earlier harm again as fresh evidence and fired a second time, long after its variant was rolled
 * back: a new rollback in the audit, and the console's "rolled back at" moved to the restart. No
 * rule's evidence includes the second of the replay.
 */
class GuardrailRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONFIG = """
            {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "guard-restart",
             "pops": [{"id": "fra", "region": "eu"}],
             "flags": [{"key": "offer-banner", "owner": "growth", "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}],
                        "control": "control"}],
             "guardrails": [{"id": "conversion-guard", "flag": "offer-banner", "variant": "treatment",
                             "conditions": [{"metric": "conversionLift", "op": "<", "value": -0.1}],
                             "windowSeconds": 60, "minExposures": 40, "cooldownSeconds": 1, "action": "rollback", "armed": true}]}""";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    void aRuleThatFiredDoesNotFireAgainOnTheReplayOfARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir, 10);
        live.start();
        // Control's units all buy, the treatment's none: harm beyond doubt.
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 120; i++) {
            String variant = i % 2 == 0 ? "control" : "treatment";
            batch.append(i == 0 ? "" : ",").append("{\"id\":\"x-").append(i).append("\",\"type\":\"exposure\",\"flag\":\"offer-banner\",")
                    .append("\"variant\":\"").append(variant).append("\",\"targetingKey\":\"u-").append(i).append("\"}");
            if (variant.equals("control")) {
                batch.append(",{\"id\":\"c-").append(i).append("\",\"type\":\"conversion\",\"name\":\"purchase\",\"targetingKey\":\"u-")
                        .append(i).append("\"}");
            }
        }
        HttpResponse<String> taken = live.send("POST", "/ingest/v1/events", live.key("ingest-key"), batch.append("]").toString());
        assertEquals(200, taken.statusCode(), taken.body());
        LiveNodeFixture.await("the guardrail rolls the treatment back", () -> rollbacks() == 1);
        // The rule's status says so from its next judgement on.
        LiveNodeFixture.await("the rule's status names its firing", () -> lastFiredAt() > 0);
        long firedAt = lastFiredAt();

        live.stopNode();
        live.start();
        LiveNodeFixture.await("the restarted node's first frame", () -> live.node().latestFrame() != null);
        long resumedAt = live.node().latestFrame().engineMillis();
        // Several engine seconds past the one the log was read back into (the clock runs ten times the wall's pace).
        LiveNodeFixture.await("the restarted node plays on", () -> live.node().latestFrame().engineMillis() >= resumedAt + 4000);
        assertEquals(1, rollbacks(), "the replay is no new evidence");
        assertEquals(firedAt, lastFiredAt(), "the rule last fired when it did before the restart");
    }

    /**
     * A manual rollback counts as the last firing of every rule watching that variant (its cooldown starts):
     * the same after a restart, which replays the firing named "manual" rather than the rule's id.
     */
    @Test
    void aManualRollbackIsStillTheWatchingRulesLastFiringAfterARestart(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(CONFIG, dir, 10);
        live.start();
        HttpResponse<String> rolled = live.send("POST", "/api/v1/rollbacks", live.key("token"),
                "{\"flag\": \"offer-banner\", \"variant\": \"treatment\", \"reason\": \"chat angry\"}");
        assertEquals(200, rolled.statusCode(), rolled.body());
        LiveNodeFixture.await("the rule's status names the manual rollback", () -> lastFiredAt() > 0);
        long firedAt = lastFiredAt();

        live.stopNode();
        live.start();
        LiveNodeFixture.await("the restarted node's first frame", () -> live.node().latestFrame() != null);
        long resumedAt = live.node().latestFrame().engineMillis();
        LiveNodeFixture.await("the restarted node judges the rule", () -> live.node().latestFrame().engineMillis() >= resumedAt + 2000);
        assertEquals(firedAt, lastFiredAt(), "the manual rollback is still the rule's last firing");
    }

    private long rollbacks() {
        try {
            HttpResponse<String> audit = live.send("GET", "/api/v1/audit", live.key("token"), null);
            assertEquals(200, audit.statusCode(), audit.body());
            long n = 0;
            for (JsonNode e : JSON.readTree(audit.body())) {
                if (e.get("action").asText().equals("guardrail.rollback")) {
                    n++;
                }
            }
            return n;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long lastFiredAt() {
        try {
            HttpResponse<String> r = live.send("GET", "/api/v1/guardrails", live.key("token"), null);
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body()).get(0).path("lastFiredAtMillis").asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
