package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node started from docs/examples/node-config.json, whose {@code sentiment-guard} watches
 * {@code checkout-button}'s {@code treatment} against its {@code control}: a flag change that would
 * take either away (removed, renamed, through a PATCH or a playbook) is answered 409 naming the rule
 * and the variant, and changes nothing, durably: the flag, the rule and the audit are as they were,
 * and again after a restart. Weight 0 for the treatment is still a change like any other. A PATCH
 * that would leave the flag as it is is refused too (409, nothing changed), rather than made a new
 * version that sends every unit through evaluation again as a fresh exposure.
 */
class OrphanedGuardrailNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLAG = "/api/v1/flags/checkout-button";

    @TempDir
    Path dataDir;
    private LiveNodeFixture live;
    private String token;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    /**
     * Starts the example node and answers its checkout-button flag once its version is live at every
     * PoP: until then the flag's acknowledgements change on their own, and "the flag is as it was"
     * could not be told from a change.
     */
    private JsonNode startExampleNode() throws Exception {
        live = new LiveNodeFixture(Files.readString(Path.of("..", "docs", "examples", "node-config.json")), dataDir);
        live.start();
        token = live.key("token");
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        JsonNode f = flag();
        while (f.get("popsAcknowledged").asInt() < f.get("popsTotal").asInt() && System.nanoTime() < until) {
            Thread.sleep(50);
            f = flag();
        }
        assertEquals(f.get("popsTotal").asInt(), f.get("popsAcknowledged").asInt(), "the flag is live at every PoP: " + f);
        return f;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return live.send(method, path, token, body);
    }

    private JsonNode flag() throws Exception {
        for (JsonNode f : JSON.readTree(send("GET", "/api/v1/flags", null).body())) {
            if (f.get("key").asText().equals("checkout-button")) {
                return f;
            }
        }
        throw new AssertionError("no checkout-button");
    }

    private JsonNode guard() throws Exception {
        for (JsonNode g : JSON.readTree(send("GET", "/api/v1/guardrails", null).body())) {
            if (g.get("id").asText().equals("sentiment-guard")) {
                return g;
            }
        }
        throw new AssertionError("no sentiment-guard");
    }

    private int auditSize() throws Exception {
        return JSON.readTree(send("GET", "/api/v1/audit", null).body()).size();
    }

    /** The node config {@code example} with no guardrails. */
    private static String withoutTheRule(String example) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode without = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(example);
        without.putArray("guardrails");
        return without.toString();
    }

    /**
     * Runs a node on {@code withoutRule} that drops the treatment variant the example's rule watches, journaled,
     * and stops it; answers the flag's version before the change.
     */
    private long treatmentDroppedWithoutTheRule(String withoutRule) throws Exception {
        live = new LiveNodeFixture(withoutRule, dataDir);
        live.start();
        token = live.key("token");
        long version = flag().get("version").asLong();
        HttpResponse<String> dropped = send("PATCH", FLAG, patch(version, "[{\"name\":\"control\",\"weight\":10000}]"));
        assertEquals(200, dropped.statusCode(), dropped.body());
        live.close();
        return version;
    }

    private static String patch(long version, String variants) {
        return "{\"expectedVersion\":" + version + ",\"variants\":" + variants + ",\"reason\":\"tidy the test up\"}";
    }

    private static void assertRefused(HttpResponse<String> r, String field, String... named) throws Exception {
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(r.body());
        assertEquals(field, problem.path("field").asText(), r.body());
        for (String name : named) {
            assertTrue(problem.path("detail").asText().contains(name), "the detail names " + name + ": " + r.body());
        }
    }

    @Test
    void aChangeThatWouldLeaveTheGuardrailWatchingNothingIsRefusedAndChangesNothing() throws Exception {
        JsonNode before = startExampleNode();
        long version = before.get("version").asLong();
        JsonNode guardBefore = guard();
        int audit = auditSize();

        assertRefused(send("PATCH", FLAG, patch(version, "[{\"name\":\"control\",\"weight\":10000}]")),
                "variants", "sentiment-guard", "'treatment'");
        assertRefused(send("PATCH", FLAG, patch(version,
                "[{\"name\":\"control\",\"weight\":5000},{\"name\":\"treatment-v2\",\"weight\":5000}]")),
                "variants", "sentiment-guard", "'treatment'");
        assertRefused(send("PATCH", FLAG, patch(version,
                "[{\"name\":\"baseline\",\"weight\":5000},{\"name\":\"treatment\",\"weight\":5000}]")),
                "variants", "sentiment-guard", "control 'control'");
        assertRefused(send("POST", "/api/v1/playbooks", "{\"id\":\"drop-treatment\",\"description\":\"control only\","
                        + "\"actions\":[{\"type\":\"change\",\"flag\":\"checkout-button\","
                        + "\"variants\":[{\"name\":\"control\",\"weight\":10000}]}],\"reason\":\"after the test\"}"),
                "actions[0].variants", "sentiment-guard", "'treatment'");

        assertEquals(before, flag(), "the flag is as it was");
        assertEquals(guardBefore.get("variant"), guard().get("variant"));
        assertEquals(guardBefore.get("armed"), guard().get("armed"));
        assertEquals(audit, auditSize(), "nothing audited");
        assertEquals(404, send("GET", "/api/v1/playbooks/drop-treatment", null).statusCode());

        HttpResponse<String> harmless = send("PATCH", FLAG, patch(version,
                "[{\"name\":\"control\",\"weight\":10000},{\"name\":\"treatment\",\"weight\":0}]"));
        assertEquals(200, harmless.statusCode(), harmless.body());
        assertEquals(version + 1, flag().get("version").asLong());

        live.stopNode();
        live.start();
        assertEquals(version + 1, flag().get("version").asLong(), "the refusals left nothing to replay");
        assertEquals(audit + 1, auditSize());
        assertEquals("treatment", guard().get("variant").asText());
    }

    @Test
    void aChangeThatLeavesTheFlagAsItIsIsRefusedAndMakesNoVersion() throws Exception {
        JsonNode before = startExampleNode();
        long version = before.get("version").asLong();
        int audit = auditSize();

        HttpResponse<String> same = send("PATCH", FLAG, patch(version, before.get("variants").toString()));
        assertEquals(409, same.statusCode(), same.body());
        assertEquals("application/problem+json", same.headers().firstValue("Content-Type").orElse(""));
        assertTrue(JSON.readTree(same.body()).path("detail").asText().contains("nothing changed"), same.body());
        HttpResponse<String> noFields = send("PATCH", FLAG, "{\"expectedVersion\":" + version + ",\"reason\":\"just checking\"}");
        assertEquals(409, noFields.statusCode(), noFields.body());

        assertEquals(before, flag(), "no new version");
        assertEquals(audit, auditSize(), "nothing audited");
        live.stopNode();
        live.start();
        assertEquals(version, flag().get("version").asLong(), "nothing journaled");
    }

    /**
     * A configuration edited to put a rule back for a variant a journaled change removed: the node does
     * not start with a rule that would show armed and watch nothing, and says which rule and why.
     */
    @Test
    void aConfigurationWhoseRuleTheJournalOrphanedDoesNotStart() throws Exception {
        String example = Files.readString(Path.of("..", "docs", "examples", "node-config.json"));
        String withoutRule = withoutTheRule(example);
        long version = treatmentDroppedWithoutTheRule(withoutRule);

        LiveNodeFixture withRule = new LiveNodeFixture(example, dataDir);
        live = withRule;
        EdgeNode.StartException refused = org.junit.jupiter.api.Assertions.assertThrows(EdgeNode.StartException.class, withRule::start);
        assertTrue(refused.getMessage().contains("guardrail sentiment-guard watches variant 'treatment' of flag checkout-button"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("take it out of the configuration"), refused.getMessage());
        // Nothing was held: the configuration without the rule starts on the same directory.
        live = new LiveNodeFixture(withoutRule, dataDir);
        live.start();
        token = live.key("token");
        assertEquals(version + 1, flag().get("version").asLong());
    }

    /**
     * Refused for a rule the journal orphaned, a start changes no byte of the data directory, though it
     * restored the journal to judge the rule: a torn last record stays, and so do a compaction and a
     * snapshot a crash interrupted.
     */
    @Test
    void aStartRefusedForARuleTheJournalOrphanedChangesNoByteOfTheDirectory() throws Exception {
        String example = Files.readString(Path.of("..", "docs", "examples", "node-config.json"));
        treatmentDroppedWithoutTheRule(withoutTheRule(example));
        EveryFile.asACrashLeftIt(dataDir);
        java.util.Map<String, String> before = EveryFile.hashes(dataDir);

        LiveNodeFixture withRule = new LiveNodeFixture(example, dataDir);
        live = withRule;
        EdgeNode.StartException refused = org.junit.jupiter.api.Assertions.assertThrows(EdgeNode.StartException.class, withRule::start);
        assertTrue(refused.getMessage().contains("guardrail sentiment-guard watches variant 'treatment'"), refused.getMessage());
        assertEquals(before, EveryFile.hashes(dataDir), refused.getMessage());
    }
}
