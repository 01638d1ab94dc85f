package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagChange;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approval lanes on a real node, with people's own tokens: a risky change waits for a second person
 * with the approver role; the requester cannot approve it; an edit voids an approval; an approved
 * change applies once, as itself, naming the request; every step is one audit entry naming its
 * person; a restarted node has the same requests.
 */
class ApprovalLanesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLAG = "/flags/checkout-button";

    @TempDir
    Path dataDir;

    /** The steady show with approval lanes. */
    static LiveNode withLanes(Path dataDir, Approvals approvals) throws Exception {
        Scenario s = ScenarioCatalog.resolve("steady-show");
        Scenario laned = new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(), s.regions(),
                s.audience(), s.flags(), s.triggers(), s.guardrails(), s.cues(), approvals);
        return LiveNode.start(dataDir, 2, 0, c -> new EdgeNode.Config(ShowDefinition.of(laned), c.speed(), c.bind(), c.port(), c.dataDir()));
    }

    @Test
    void aRiskyChangeWaitsForASecondPersonAndAnEditVoidsTheApproval() throws Exception {
        List<AuditEntry> audited;
        List<ChangeRequest> requests;
        try (LiveNode live = withLanes(dataDir, new Approvals(60.0, true, true, null))) {
            String alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            String carol = live.addOperator("carol", Role.OPERATOR);
            long version = flag(live).get("version").asLong();

            int before = audit(live).size();
            HttpResponse<String> held = live.send("PATCH", FLAG, change(version, 7000, "ramp the treatment for the drop"), alice);
            assertEquals(202, held.statusCode(), held.body());
            ChangeRequest request = JSON.readValue(held.body(), ChangeRequest.class);
            assertEquals(ChangeRequest.State.PENDING, request.state());
            assertEquals("alice", request.requester());
            assertEquals("/api/v1/requests/" + request.id(), held.headers().firstValue("Location").orElseThrow());
            assertTrue(request.risks().getFirst().contains("treatment of checkout-button to 70.00%, above 60.00%"), request.risks().toString());
            assertEquals(version, flag(live).get("version").asLong(), "a held change does not apply");
            assertOneEntry(live, before, "alice", "request.open");
            String path = "/requests/" + request.id();

            before = audit(live).size();
            HttpResponse<String> own = live.send("POST", path + "/approve", reason("looks fine to me"), alice);
            assertEquals(403, own.statusCode(), own.body());
            assertTrue(own.body().contains("another person"), own.body());
            HttpResponse<String> operator = live.send("POST", path + "/approve", reason("ok"), carol);
            assertEquals(403, operator.statusCode(), operator.body());
            assertEquals("approver", JSON.readTree(operator.body()).get("requiredRole").asText(), operator.body());
            assertTrue(JSON.readTree(operator.body()).get("detail").asText().startsWith("carol is an operator: "), operator.body());
            assertEquals(before, audit(live).size(), "refused approvals leave no entry");

            ChangeRequest approved = JSON.readValue(ok(live.send("POST", path + "/approve", reason("drop is in 20 minutes, go"), bob)),
                    ChangeRequest.class);
            assertEquals(ChangeRequest.State.APPROVED, approved.state());
            assertEquals("bob", approved.decidedBy());
            assertOneEntry(live, before, "bob", "request.approve");

            before = audit(live).size();
            HttpResponse<String> notHers = live.send("PATCH", path, change(version, 6500, "bob's idea"), bob);
            assertEquals(403, notHers.statusCode(), "only the requester edits: " + notHers.body());
            ChangeRequest edited = JSON.readValue(ok(live.send("PATCH", path, change(version, 6500, "a little less"), alice)),
                    ChangeRequest.class);
            assertEquals(ChangeRequest.State.PENDING, edited.state(), "an edit voids the approval");
            assertEquals(2, edited.revision());
            assertNull(edited.decidedBy());
            AuditEntry edit = assertOneEntry(live, before, "alice", "request.edit");
            assertTrue(edit.after().contains("the approval is void") && edit.before().contains("approved by bob"), edit.toString());

            HttpResponse<String> early = live.send("POST", path + "/apply", "{}", alice);
            assertEquals(409, early.statusCode(), "a voided approval does not apply: " + early.body());
            assertEquals(version, flag(live).get("version").asLong());

            ok(live.send("POST", path + "/approve", reason("6500 is fine too"), bob));
            before = audit(live).size();
            ChangeRequest applied = JSON.readValue(ok(live.send("POST", path + "/apply", "{}", alice)), ChangeRequest.class);
            assertEquals(ChangeRequest.State.APPLIED, applied.state());
            JsonNode flag = flag(live);
            assertEquals(version + 1, flag.get("version").asLong());
            assertEquals(6500, flag.get("variants").get(1).get("weight").asInt(), flag.toString());
            AuditEntry change = assertOneEntry(live, before, "alice", "flag.change");
            assertTrue(change.reason().equals("a little less (request #" + request.id() + " by alice, approved by bob)"), change.reason());
            assertEquals(409, live.send("POST", path + "/apply", "{}", alice).statusCode(), "a request applies once");

            // not risky: lowering the treatment applies at once
            assertEquals(200, live.send("PATCH", FLAG, change(version + 1, 5000, "back to even"), carol).statusCode());

            // unkill waits; a rejection is final and nothing changes
            ok(live.send("POST", FLAG + "/kill", reason("button broke"), carol));
            HttpResponse<String> unkill = live.send("POST", FLAG + "/unkill", reason("fixed"), carol);
            assertEquals(202, unkill.statusCode(), unkill.body());
            String unkillPath = "/requests/" + JSON.readValue(unkill.body(), ChangeRequest.class).id();
            before = audit(live).size();
            ChangeRequest rejected = JSON.readValue(ok(live.send("POST", unkillPath + "/reject", reason("not fixed yet"), bob)),
                    ChangeRequest.class);
            assertEquals(ChangeRequest.State.REJECTED, rejected.state());
            assertOneEntry(live, before, "bob", "request.reject");
            assertEquals(409, live.send("POST", unkillPath + "/approve", reason("ok"), alice).statusCode());
            assertTrue(flag(live).get("killed").asBoolean(), "a rejected unkill leaves the flag killed");

            // disarming waits; arming never does
            HttpResponse<String> disarm = live.send("POST", "/guardrails/sentiment-guard/disarm", reason("noisy chat"), carol);
            assertEquals(202, disarm.statusCode(), disarm.body());
            assertEquals(List.of("disarms the armed guardrail sentiment-guard"), JSON.readValue(disarm.body(), ChangeRequest.class).risks());

            requests = List.of(JSON.readValue(ok(live.send("GET", "/requests", null, carol)), ChangeRequest[].class));
            assertEquals(3, requests.size());
            assertEquals(1, JSON.readTree(ok(live.send("GET", "/requests?state=pending", null))).size());
            assertEquals(400, live.send("GET", "/requests?state=someday", null).statusCode());
            assertEquals(404, live.send("GET", "/requests/99", null).statusCode());
            audited = audit(live);
        }
        try (LiveNode restarted = withLanes(dataDir, new Approvals(60.0, true, true, null))) {
            assertEquals(requests, List.of(JSON.readValue(ok(restarted.send("GET", "/requests", null)), ChangeRequest[].class)),
                    "a restarted node has the same requests");
            assertEquals(audited, audit(restarted));
        }
    }

    @Test
    void inTheMinutesBeforeTheDropEveryChangeWaitsButAKillDoesNot() throws Exception {
        try (LiveNode live = withLanes(dataDir, new Approvals(null, false, false,
                new Approvals.BeforeDrop("drop", 900, null, 15)))) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            long version = flag(live).get("version").asLong();
            HttpResponse<String> held = live.send("PATCH", FLAG, change(version, 4000, "less treatment"), alice);
            assertEquals(202, held.statusCode(), held.body());
            assertEquals(List.of("made in the last 15 minutes before drop"), JSON.readValue(held.body(), ChangeRequest.class).risks());
            assertEquals(200, live.send("POST", FLAG + "/kill", reason("safer"), alice).statusCode(), "a kill never waits");

            // The console's client: a held change is a failure that says so, never a flag view made of a request.
            try (HttpEdgeConnection console = live.connect(alice)) {
                ExecutionException failed = assertThrows(ExecutionException.class, () -> console.changeFlag("checkout-button",
                        new FlagChange(version + 1, List.of(new VariantView("control", 7000), new VariantView("treatment", 3000)), null,
                                null, "less again")).get(10, TimeUnit.SECONDS));
                EdgeException e = (EdgeException) failed.getCause();
                assertEquals(EdgeException.Kind.HELD, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("as change request #2 (made in the last 15 minutes before drop)"), e.getMessage());
            }
        }
    }

    private static String change(long version, int treatment, String reason) {
        return "{\"expectedVersion\": " + version + ", \"variants\": [{\"name\": \"control\", \"weight\": " + (10_000 - treatment)
                + "}, {\"name\": \"treatment\", \"weight\": " + treatment + "}], \"reason\": \"" + reason + "\"}";
    }

    private static String reason(String why) {
        return "{\"reason\": \"" + why + "\"}";
    }

    private static String ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
        return r.body();
    }

    private static JsonNode flag(LiveNode live) throws Exception {
        for (JsonNode f : JSON.readTree(ok(live.send("GET", "/flags", null)))) {
            if (f.get("key").asText().equals("checkout-button")) {
                return f;
            }
        }
        throw new AssertionError("no checkout-button");
    }

    private static List<AuditEntry> audit(LiveNode live) throws Exception {
        return List.of(JSON.readValue(ok(live.send("GET", "/audit", null)), AuditEntry[].class));
    }

    private static AuditEntry assertOneEntry(LiveNode live, int before, String actor, String action) throws Exception {
        List<AuditEntry> after = audit(live);
        assertEquals(before + 1, after.size(), "exactly one entry: " + after.subList(before, after.size()));
        assertEquals(actor, after.getLast().actor(), after.getLast().toString());
        assertEquals(action, after.getLast().action(), after.getLast().toString());
        return after.getLast();
    }
}
