package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowChanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An approved request lifts what was approved, not what stands when it is applied: on a real node with
 * the {@code unkill} lane, a safety action taken again between the approval and the apply (a rollback at
 * another PoP, a new pause, a new kill) makes the apply a 409 naming it, and nothing changes; the request
 * keeps what it lifts across a restart.
 */
class ApprovedLiftTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Approvals UNKILL_LANE = new Approvals(null, true, false, null);
    private static final Approvals DISARM_LANE = new Approvals(null, false, true, null);
    private static final String FLAG = "/flags/checkout-button";
    private static final String GUARD = "/guardrails/sentiment-guard";

    @TempDir
    Path dataDir;

    @Test
    void aClearApprovedForFraDoesNotServeAmsAfterANewRollbackThereEvenAfterARestart() throws Exception {
        long id;
        String alice;
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            engine(live, s -> s.core().experiments().rollbackAt("checkout-button", "treatment", List.of("fra"), "guardrail:sentiment-guard",
                    "chat turned at fra", ShowChanges.now(s)));
            HttpResponse<String> held = live.send("POST", FLAG + "/pop-rollbacks/clear",
                    "{\"variant\": \"treatment\", \"reason\": \"the fix is out\"}", alice);
            assertEquals(202, held.statusCode(), held.body());
            ChangeRequest request = JSON.readValue(held.body(), ChangeRequest.class);
            assertEquals(List.of("fra"), request.pops(), "the request keeps the PoPs it serves again at");
            id = request.id();
            approve(live, id, bob);
        }
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            engine(live, s -> s.core().experiments().rollbackAt("checkout-button", "treatment", List.of("ams"), "guardrail:sentiment-guard",
                    "chat turned at ams", ShowChanges.now(s)));
            int audited = audit(live).size();
            HttpResponse<String> applied = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
            assertEquals(409, applied.statusCode(), applied.body());
            assertTrue(applied.body().contains("rolled back again at ams since request #" + id + " was opened: open a new request"),
                    applied.body());
            assertEquals("{\"treatment\":[\"ams\",\"fra\"]}", flag(live).get("rolledBackAt").toString(), "nothing served again");
            assertEquals(ChangeRequest.State.APPROVED, request(live, id).state());
            assertEquals(audited, audit(live).size(), "a refused apply is not audited");
        }
    }

    @Test
    void aResumeApprovedBeforeANewPauseDoesNotLiftIt() throws Exception {
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            String alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            pause(live, true, "guardrail:sentiment-guard");
            HttpResponse<String> held = live.send("POST", FLAG + "/variants/treatment/resume", "{\"reason\": \"calm again\"}", alice);
            assertEquals(202, held.statusCode(), held.body());
            long id = JSON.readValue(held.body(), ChangeRequest.class).id();
            approve(live, id, bob);
            pause(live, false, "ops");
            pause(live, true, "guardrail:sentiment-guard");
            HttpResponse<String> applied = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
            assertEquals(409, applied.statusCode(), applied.body());
            assertTrue(applied.body().contains("resumed and paused again since request #" + id), applied.body());
            assertEquals("[\"treatment\"]", flag(live).get("paused").toString(), "the new pause stays");

            // An edit is a new revision of what stands now: approved again, it lifts the new pause.
            HttpResponse<String> edited = live.send("PATCH", "/requests/" + id, "{\"reason\": \"calm after the second pause too\"}", alice);
            assertEquals(200, edited.statusCode(), edited.body());
            assertEquals(2L, JSON.readValue(edited.body(), ChangeRequest.class).lifts(), "the second pause");
            HttpResponse<String> second = live.send("POST", "/requests/" + id + "/approve", "{\"reason\": \"fine\", \"revision\": 2}", bob);
            assertEquals(200, second.statusCode(), second.body());
            HttpResponse<String> now = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
            assertEquals(200, now.statusCode(), now.body());
            assertEquals("[]", flag(live).get("paused").toString());
        }
    }

    @Test
    void anUnkillApprovedBeforeANewKillDoesNotLiftIt() throws Exception {
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            String alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            assertEquals(200, live.send("POST", FLAG + "/kill", "{\"reason\": \"button broke\"}", alice).statusCode());
            HttpResponse<String> held = live.send("POST", FLAG + "/unkill", "{\"reason\": \"fixed\"}", alice);
            assertEquals(202, held.statusCode(), held.body());
            long id = JSON.readValue(held.body(), ChangeRequest.class).id();
            approve(live, id, bob);
            engine(live, s -> s.core().experiments().unkill("checkout-button", "ops", "fixed another way", ShowChanges.now(s)));
            assertEquals(200, live.send("POST", FLAG + "/kill", "{\"reason\": \"broke again\"}", alice).statusCode());
            HttpResponse<String> applied = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
            assertEquals(409, applied.statusCode(), applied.body());
            assertTrue(applied.body().contains("unkilled and killed again"), applied.body());
            assertTrue(flag(live).get("killed").asBoolean(), "the new kill stays");
        }
    }

    /**
     * A disarm approved for one arming does not undo a later one: the guardrail disarmed (by a playbook)
     * and armed again before the apply, even across a restart, makes the apply a 409; an edit, approved
     * again, disarms the arming that stands.
     */
    @Test
    void aDisarmApprovedBeforeTheGuardrailWasArmedAgainDoesNotDisarmIt() throws Exception {
        long id;
        String alice;
        String bob;
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, DISARM_LANE)) {
            alice = live.addOperator("alice", Role.APPROVER);
            bob = live.addOperator("bob", Role.APPROVER);
            HttpResponse<String> held = live.send("POST", GUARD + "/disarm", "{\"reason\": \"noisy in the first half\"}", alice);
            assertEquals(202, held.statusCode(), held.body());
            ChangeRequest request = JSON.readValue(held.body(), ChangeRequest.class);
            assertEquals(0L, request.lifts(), "the arming the show's configuration made");
            id = request.id();
            approve(live, id, bob);
            engine(live, s -> s.core().guardrails().setArmed("sentiment-guard", false, "alice", "calm (playbook)", ShowChanges.now(s)));
            HttpResponse<String> armed = live.send("POST", GUARD + "/arm", "{\"reason\": \"second half: guard on\"}", alice);
            assertEquals(200, armed.statusCode(), armed.body());
        }
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, DISARM_LANE)) {
            int audited = audit(live).size();
            HttpResponse<String> applied = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
            assertEquals(409, applied.statusCode(), applied.body());
            assertTrue(applied.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    applied.headers().toString());
            assertTrue(applied.body().contains("sentiment-guard was disarmed and armed again since request #" + id
                    + " was opened: open a new request; nothing changed"), applied.body());
            assertTrue(guard(live).get("armed").asBoolean(), "the later arming stands");
            assertEquals(ChangeRequest.State.APPROVED, request(live, id).state());
            assertEquals(audited, audit(live).size(), "a refused apply is not audited");

            HttpResponse<String> edited = live.send("PATCH", "/requests/" + id, "{\"reason\": \"noisy in the second half too\"}", alice);
            assertEquals(200, edited.statusCode(), edited.body());
            assertEquals(1L, JSON.readValue(edited.body(), ChangeRequest.class).lifts(), "the arming that stands now");
            assertEquals(200, live.send("POST", "/requests/" + id + "/approve", "{\"reason\": \"fine\", \"revision\": 2}", bob)
                    .statusCode());
            HttpResponse<String> now = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
            assertEquals(200, now.statusCode(), now.body());
            assertTrue(!guard(live).get("armed").asBoolean(), "disarmed");
        }
    }

    /**
     * A request journaled before the node recorded what a request lifts cannot tell the pause it was
     * opened for from a new one: its apply is a 409 asking for a new request, and nothing changes.
     */
    @Test
    void aResumeOpenedBeforeRequestsRecordedWhatTheyLiftMustBeOpenedAgain() throws Exception {
        long id;
        String alice;
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            pause(live, true, "guardrail:sentiment-guard");
            HttpResponse<String> held = live.send("POST", FLAG + "/variants/treatment/resume", "{\"reason\": \"calm again\"}", alice);
            assertEquals(202, held.statusCode(), held.body());
            id = JSON.readValue(held.body(), ChangeRequest.class).id();
            approve(live, id, bob);
        }
        // As an earlier build journaled it: no "lifts".
        int rewritten = 0;
        try (var files = java.nio.file.Files.list(dataDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("journal")).toList()) {
                String text = java.nio.file.Files.readString(f);
                String without = text.replaceAll(",\"lifts\":\\d+", "");
                if (!without.equals(text)) {
                    java.nio.file.Files.writeString(f, without);
                    rewritten++;
                }
            }
        }
        assertTrue(rewritten > 0, "the journal holds the request");
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            assertEquals(null, request(live, id).lifts());
            int audited = audit(live).size();
            HttpResponse<String> applied = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
            assertEquals(409, applied.statusCode(), applied.body());
            assertTrue(applied.body().contains("request #" + id + " was opened before the node recorded what a request lifts"),
                    applied.body());
            assertTrue(applied.body().contains("open a new request; nothing changed"), applied.body());
            assertEquals("[\"treatment\"]", flag(live).get("paused").toString(), "the pause stays");
            assertEquals(audited, audit(live).size(), "a refused apply is not audited");
        }
    }

    private static void approve(LiveNode live, long id, String bob) throws Exception {
        HttpResponse<String> r = live.send("POST", "/requests/" + id + "/approve", "{\"reason\": \"fine\", \"revision\": 1}", bob);
        assertEquals(200, r.statusCode(), r.body());
    }

    private static void pause(LiveNode live, boolean paused, String who) throws Exception {
        engine(live, s -> s.core().experiments().setPaused("checkout-button", "treatment", paused, who, "chat", ShowChanges.now(s)));
    }

    private static void engine(LiveNode live, Consumer<Show> change) throws Exception {
        live.node.runner().submit(s -> {
            change.accept(s);
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    private static JsonNode flag(LiveNode live) throws Exception {
        return JSON.readTree(live.send("GET", FLAG, null).body());
    }

    private static JsonNode guard(LiveNode live) throws Exception {
        for (JsonNode g : JSON.readTree(live.send("GET", "/guardrails", null).body())) {
            if (g.get("id").asText().equals("sentiment-guard")) {
                return g;
            }
        }
        throw new AssertionError("no guardrail sentiment-guard");
    }

    private static ChangeRequest request(LiveNode live, long id) throws Exception {
        return JSON.readValue(live.send("GET", "/requests/" + id, null).body(), ChangeRequest.class);
    }

    private static List<AuditEntry> audit(LiveNode live) throws Exception {
        return List.of(JSON.readValue(live.send("GET", "/audit", null).body(), AuditEntry[].class));
    }
}
