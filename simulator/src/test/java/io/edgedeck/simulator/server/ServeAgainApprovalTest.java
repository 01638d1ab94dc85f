package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.show.ShowChanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serving a variant again that a safety action took away (a PoP-local rollback cleared, a paused
 * variant resumed) waits in the approval lanes as an unkill does: on a real node with the
 * {@code unkill} lane, alice's call opens a request and changes nothing, her own approval is
 * refused, bob approves, the apply serves the variant again and is audited as the change itself,
 * naming the request; a retry with the same Idempotency-Key opens no second request; and the
 * requests and audit are the same after a restart.
 */
class ServeAgainApprovalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Approvals UNKILL_LANE = new Approvals(null, true, false, null);
    private static final String FLAG = "/flags/checkout-button";

    @TempDir
    Path dataDir;

    @Test
    void aClearedPopRollbackAndAResumedVariantWaitForASecondPerson() throws Exception {
        List<AuditEntry> audited;
        List<ChangeRequest> requests;
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            String alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            ok(live.send("POST", "/playbooks", "{\"id\": \"europe-back\", \"actions\": [{\"type\": \"rollback\", \"flag\":"
                    + " \"checkout-button\", \"variant\": \"treatment\", \"pops\": [\"fra\", \"ams\"]}], \"reason\": \"set up\"}"));
            ok(live.send("POST", "/playbooks/europe-back/run", "{\"reason\": \"treatment hurts chat in Europe\"}"));
            assertEquals("{\"treatment\":[\"ams\",\"fra\"]}", flag(live).get("rolledBackAt").toString());

            // The clear waits: a request, nothing served again; the same key answers the same request.
            String clear = "{\"variant\": \"treatment\", \"pops\": [\"fra\"], \"reason\": \"the fix is out at fra\"}";
            HttpResponse<String> held = keyed(live, "POST", FLAG + "/pop-rollbacks/clear", clear, alice, "clear-fra");
            assertEquals(202, held.statusCode(), held.body());
            ChangeRequest request = JSON.readValue(held.body(), ChangeRequest.class);
            assertEquals(ChangeRequest.ROLLBACK_CLEAR, request.operation());
            assertEquals("checkout-button/treatment", request.target());
            assertEquals(List.of("fra"), request.pops());
            assertTrue(request.risks().getFirst().contains("serves checkout-button/treatment again at fra"), request.risks().toString());
            HttpResponse<String> again = keyed(live, "POST", FLAG + "/pop-rollbacks/clear", clear, alice, "clear-fra");
            assertEquals(202, again.statusCode(), again.body());
            assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""), again.body());
            assertEquals(1, all(live).size(), "the retry opened no second request");
            assertEquals("{\"treatment\":[\"ams\",\"fra\"]}", flag(live).get("rolledBackAt").toString(), "a held clear changes nothing");

            decide(live, request.id(), alice, bob);
            assertEquals("{\"treatment\":[\"ams\"]}", flag(live).get("rolledBackAt").toString(), "applied: served again at fra");

            // A paused variant (a guardrail's pause) resumed: the same lane.
            live.node.runner().submit(s -> {
                s.core().experiments().setPaused("checkout-button", "treatment", true, "guardrail:sentiment-guard", "chat turned",
                        ShowChanges.now(s));
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertEquals("[\"treatment\"]", flag(live).get("paused").toString());
            HttpResponse<String> resume = keyed(live, "POST", FLAG + "/variants/treatment/resume",
                    "{\"reason\": \"chat is calm again\"}", alice, "resume-1");
            assertEquals(202, resume.statusCode(), resume.body());
            ChangeRequest resumeRequest = JSON.readValue(resume.body(), ChangeRequest.class);
            assertEquals(ChangeRequest.VARIANT_RESUME, resumeRequest.operation());
            assertEquals("[\"treatment\"]", flag(live).get("paused").toString(), "a held resume changes nothing");
            decide(live, resumeRequest.id(), alice, bob);
            assertEquals("[]", flag(live).get("paused").toString(), "applied: the treatment takes new exposures again");

            audited = audit(live);
            assertEquals(List.of("request.open", "request.approve", "variant.rollback-cleared", "request.open", "request.approve",
                    "variant.resume"), audited.stream().map(AuditEntry::action)
                    .filter(a -> a.startsWith("request.") || a.startsWith("variant.r")).filter(a -> !a.equals("variant.rollback-at")).toList());
            AuditEntry cleared = audited.stream().filter(e -> e.action().equals("variant.rollback-cleared")).findFirst().orElseThrow();
            assertEquals("alice", cleared.actor());
            assertEquals("control at ams,fra", cleared.before());
            assertEquals("control at ams", cleared.after());
            assertTrue(cleared.reason().endsWith("(request #" + request.id() + " by alice, approved by bob)"), cleared.reason());
            AuditEntry resumed = audited.getLast();
            assertEquals("variant.resume", resumed.action());
            assertEquals("checkout-button/treatment", resumed.target());
            assertTrue(resumed.reason().startsWith("chat is calm again (request #" + resumeRequest.id()), resumed.reason());
            requests = all(live);
        }
        try (LiveNode restarted = ApprovalLanesTest.withLanes(dataDir, UNKILL_LANE)) {
            assertEquals(audited, audit(restarted), "the same audit after a restart");
            assertEquals(requests, all(restarted), "the same requests after a restart");
            assertEquals("{\"treatment\":[\"ams\"]}", flag(restarted).get("rolledBackAt").toString());
            assertEquals("[]", flag(restarted).get("paused").toString());
        }
    }

    /** Alice's own approval refused, bob's accepted, alice applies it. */
    private static void decide(LiveNode live, long id, String alice, String bob) throws Exception {
        HttpResponse<String> own = live.send("POST", "/requests/" + id + "/approve", "{\"reason\": \"mine\", \"revision\": 1}", alice);
        assertEquals(403, own.statusCode(), own.body());
        HttpResponse<String> early = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
        assertEquals(409, early.statusCode(), "not approved yet: " + early.body());
        ok(live.send("POST", "/requests/" + id + "/approve", "{\"reason\": \"fine\", \"revision\": 1}", bob));
        HttpResponse<String> applied = live.send("POST", "/requests/" + id + "/apply", "{}", alice);
        assertEquals(200, applied.statusCode(), applied.body());
        assertEquals(ChangeRequest.State.APPLIED, JSON.readValue(applied.body(), ChangeRequest.class).state());
    }

    private static HttpResponse<String> keyed(LiveNode live, String method, String path, String body, String bearer, String key)
            throws Exception {
        return live.send(live.request(path, bearer).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
    }

    private static JsonNode flag(LiveNode live) throws Exception {
        HttpResponse<String> r = live.send("GET", FLAG, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<ChangeRequest> all(LiveNode live) throws Exception {
        return List.of(JSON.readValue(live.send("GET", "/requests", null).body(), ChangeRequest[].class));
    }

    private static List<AuditEntry> audit(LiveNode live) throws Exception {
        return List.of(JSON.readValue(live.send("GET", "/audit", null).body(), AuditEntry[].class));
    }
}
