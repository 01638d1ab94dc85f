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
            HttpResponse<String> own = live.send("POST", path + "/approve", decision("looks fine to me", 1), alice);
            assertEquals(403, own.statusCode(), own.body());
            assertTrue(own.body().contains("another person"), own.body());
            assertEquals("own-request", JSON.readTree(own.body()).path("reason").asText(), own.body());
            assertTrue(JSON.readTree(own.body()).path("requiredRole").isMissingNode()
                    || JSON.readTree(own.body()).get("requiredRole").isNull(), "alice is an approver already: " + own.body());
            HttpResponse<String> operator = live.send("POST", path + "/approve", decision("ok", 1), carol);
            assertEquals(403, operator.statusCode(), operator.body());
            assertEquals("approver", JSON.readTree(operator.body()).get("requiredRole").asText(), operator.body());
            assertTrue(JSON.readTree(operator.body()).get("detail").asText().startsWith("carol is an operator: "), operator.body());
            assertEquals("role-too-low", JSON.readTree(operator.body()).path("reason").asText(), operator.body());
            // Neither an approver nor its requester: an operator may not reject another's request.
            HttpResponse<String> othersReject = live.send("POST", path + "/reject", reason("not mine to stop"), carol);
            assertEquals(403, othersReject.statusCode(), othersReject.body());
            assertEquals("not-requester", JSON.readTree(othersReject.body()).path("reason").asText(), othersReject.body());
            assertEquals("approver", JSON.readTree(othersReject.body()).get("requiredRole").asText(), othersReject.body());
            assertTrue(JSON.readTree(othersReject.body()).get("detail").asText().startsWith("request #" + request.id() + " is alice's: "),
                    othersReject.body());
            assertEquals(before, audit(live).size(), "refused approvals leave no entry");

            ChangeRequest approved = JSON.readValue(ok(live.send("POST", path + "/approve", decision("drop is in 20 minutes, go", 1), bob)),
                    ChangeRequest.class);
            assertEquals(ChangeRequest.State.APPROVED, approved.state());
            assertEquals("bob", approved.decidedBy());
            assertOneEntry(live, before, "bob", "request.approve");

            before = audit(live).size();
            HttpResponse<String> notHers = live.send("PATCH", path, change(version, 6500, "bob's idea"), bob);
            assertEquals(403, notHers.statusCode(), "only the requester edits: " + notHers.body());
            assertTrue(JSON.readTree(notHers.body()).path("requiredRole").isMissingNode()
                    || JSON.readTree(notHers.body()).get("requiredRole").isNull(), "no role would do: " + notHers.body());
            assertTrue(JSON.readTree(notHers.body()).get("detail").asText().contains("only they may edit it"), notHers.body());
            assertEquals("not-requester", JSON.readTree(notHers.body()).path("reason").asText(), notHers.body());
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

            ok(live.send("POST", path + "/approve", decision("6500 is fine too", 2), bob));
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
            assertEquals(409, live.send("POST", unkillPath + "/approve", decision("ok", 1), alice).statusCode());
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

    @Test
    void everyRevisionIsCheckedAgainAsAnOpeningIs() throws Exception {
        try (LiveNode live = withLanes(dataDir, new Approvals(60.0, true, true, null))) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            String bob = live.addOperator("bob", Role.APPROVER);
            long version = flag(live).get("version").asLong();
            int was = flag(live).get("variants").get(1).get("weight").asInt();

            ChangeRequest opened = held(live, change(version, 9000, "ramp hard"), alice);
            String path = "/requests/" + opened.id();
            assertEquals(List.of("raises treatment of checkout-button to 90.00%, above 60.00%"), opened.risks());

            ChangeRequest edited = JSON.readValue(ok(live.send("PATCH", path, change(version, 8000, "alice edits"), alice)),
                    ChangeRequest.class);
            assertEquals(2, edited.revision());
            assertEquals(List.of("raises treatment of checkout-button to 80.00%, above 60.00%"), edited.risks(),
                    "the risks are the new revision's");
            ChangeRequest listed = JSON.readValue(ok(live.send("GET", path, null)), ChangeRequest.class);
            assertEquals(edited.risks(), listed.risks());
            ok(live.send("POST", path + "/approve", decision("80 is fine", 2), bob));

            // an edit that leaves no risk is applied as an opening without risk would be: at once, by its requester
            int before = audit(live).size();
            int lower = Math.min(was, 5000) - 500;
            ChangeRequest calm = JSON.readValue(ok(live.send("PATCH", path, change(version, lower, "less after all"), alice)),
                    ChangeRequest.class);
            assertEquals(ChangeRequest.State.APPLIED, calm.state(), calm.toString());
            assertEquals(3, calm.revision());
            assertEquals(List.of(), calm.risks());
            assertEquals("alice", calm.appliedBy());
            assertNull(calm.decidedBy(), "bob approved 80%, not this revision");
            JsonNode flag = flag(live);
            assertEquals(version + 1, flag.get("version").asLong());
            assertEquals(lower, flag.get("variants").get(1).get("weight").asInt(), flag.toString());
            AuditEntry change = assertOneEntry(live, before, "alice", "flag.change");
            assertTrue(change.reason().startsWith("less after all (request #"), change.reason());
            assertTrue(change.reason().endsWith("revision 3 has no risk left: applied without approval)"), change.reason());
            assertEquals(409, live.send("POST", path + "/apply", "{}", bob).statusCode(), "it applied once");
        }
        try (LiveNode restarted = withLanes(dataDir, new Approvals(60.0, true, true, null))) {
            ChangeRequest r = JSON.readValue(ok(restarted.send("GET", "/requests/1", null)), ChangeRequest.class);
            assertEquals(ChangeRequest.State.APPLIED, r.state(), "a restarted node has the request applied");
        }
    }

    /**
     * A request that waits while its flag moves on can only be refused when applied: it is listed stale while it
     * waits, and its approval is refused (409 naming why, nothing approved or audited) until its requester edits it.
     */
    @Test
    void aWaitingRequestWhoseFlagMovedOnIsListedStaleAndNotApproved() throws Exception {
        try (LiveNode live = withLanes(dataDir, new Approvals(60.0, true, true, null))) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            String bob = live.addOperator("bob", Role.APPROVER);
            long version = flag(live).get("version").asLong();
            ChangeRequest held = JSON.readValue(live.send("PATCH", FLAG, change(version, 7000, "ramp for the drop"), alice).body(),
                    ChangeRequest.class);
            String path = "/requests/" + held.id();
            assertNull(JSON.readValue(ok(live.send("GET", path, null, bob)), ChangeRequest.class).stale(), "it may apply");

            ok(live.send("PATCH", FLAG, change(version, 4000, "ease off, chat is unhappy"), bob));
            ChangeRequest waiting = JSON.readValue(ok(live.send("GET", path, null, bob)), ChangeRequest.class);
            assertEquals(ChangeRequest.State.PENDING, waiting.state());
            assertTrue(waiting.stale() != null && waiting.stale().contains("is at version " + (version + 1)), String.valueOf(waiting.stale()));

            int before = audit(live).size();
            HttpResponse<String> approve = live.send("POST", path + "/approve", decision("go", 1), bob);
            assertEquals(409, approve.statusCode(), approve.body());
            JsonNode problem = JSON.readTree(approve.body());
            assertEquals("expectedVersion", problem.get("field").asText(), approve.body());
            assertTrue(problem.get("detail").asText().startsWith("not approved: request #" + held.id() + " can no longer apply"),
                    approve.body());
            assertEquals(ChangeRequest.State.PENDING, JSON.readValue(ok(live.send("GET", path, null, bob)), ChangeRequest.class).state());
            assertEquals(before, audit(live).size(), "a refused approval leaves no entry");

            ok(live.send("PATCH", path, change(version + 1, 7000, "ramp for the drop, from the new split"), alice));
            assertNull(JSON.readValue(ok(live.send("GET", path, null, bob)), ChangeRequest.class).stale(), "the edit may apply");
            assertEquals(ChangeRequest.State.APPROVED, JSON.readValue(ok(live.send("POST", path + "/approve", decision("go", 2), bob)),
                    ChangeRequest.class).state());
        }
    }

    @Test
    void anApprovalIsOfTheRevisionItsApproverSaw() throws Exception {
        try (LiveNode live = withLanes(dataDir, new Approvals(60.0, true, true, null))) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            String bob = live.addOperator("bob", Role.APPROVER);
            long version = flag(live).get("version").asLong();
            String path = "/requests/" + held(live, change(version, 7000, "ramp"), alice).id();

            HttpResponse<String> unpinned = live.send("POST", path + "/approve", reason("ok"), bob);
            assertEquals(400, unpinned.statusCode(), unpinned.body());
            assertEquals("revision", JSON.readTree(unpinned.body()).get("field").asText(), unpinned.body());
            assertEquals(400, live.send("POST", path + "/approve", decision("ok", 0), bob).statusCode());

            ok(live.send("PATCH", path, change(version, 8000, "more"), alice));
            int before = audit(live).size();
            HttpResponse<String> stale = live.send("POST", path + "/approve", decision("70 is fine", 1), bob);
            assertEquals(409, stale.statusCode(), stale.body());
            assertTrue(stale.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(stale.body());
            assertEquals("revision", problem.get("field").asText(), stale.body());
            assertTrue(problem.get("detail").asText().contains("is at revision 2, not 1: alice edited it since"), stale.body());
            assertEquals(409, live.send("POST", path + "/approve", decision("ahead", 3), bob).statusCode());
            assertEquals(409, live.send("POST", path + "/reject", decision("70 is too much", 1), bob).statusCode(),
                    "a rejection that names a revision is of that revision too");
            assertEquals(before, audit(live).size(), "refused decisions leave no entry");
            ChangeRequest still = JSON.readValue(ok(live.send("GET", path, null)), ChangeRequest.class);
            assertEquals(ChangeRequest.State.PENDING, still.state());
            assertNull(still.decidedBy());

            // racing: bob approves the revision he saw while alice edits it; his approval holds only if it came first
            for (int round = 0; round < 6; round++) {
                int seen = JSON.readValue(ok(live.send("GET", path, null)), ChangeRequest.class).revision();
                int treatment = 7000 + 100 * round;
                var approve = java.util.concurrent.CompletableFuture.supplyAsync(() -> send(live, "POST", path + "/approve",
                        decision("ok", seen), bob));
                var edit = java.util.concurrent.CompletableFuture.supplyAsync(() -> send(live, "PATCH", path,
                        change(version, treatment, "round " + treatment), alice));
                HttpResponse<String> approved = approve.join();
                assertEquals(200, edit.join().statusCode(), edit.join().body());
                ChangeRequest now = JSON.readValue(ok(live.send("GET", path, null)), ChangeRequest.class);
                assertEquals(seen + 1, now.revision());
                assertEquals(ChangeRequest.State.PENDING, now.state(), "the edit is the last word either way");
                assertNull(now.decidedBy(), "no approval of a revision nobody saw");
                assertTrue(approved.statusCode() == 200 || approved.statusCode() == 409, approved.body());
                if (approved.statusCode() == 200) {
                    assertEquals(seen, JSON.readValue(approved.body(), ChangeRequest.class).revision());
                }
            }
            int last = JSON.readValue(ok(live.send("GET", path, null)), ChangeRequest.class).revision();
            assertEquals(ChangeRequest.State.APPROVED, JSON.readValue(ok(live.send("POST", path + "/approve",
                    decision("seen", last), bob)), ChangeRequest.class).state());
        }
    }

    /** {@code body} sent as a flag change by {@code requester}, held (202) as a request. */
    private static ChangeRequest held(LiveNode live, String body, String requester) throws Exception {
        HttpResponse<String> held = live.send("PATCH", FLAG, body, requester);
        assertEquals(202, held.statusCode(), held.body());
        return JSON.readValue(held.body(), ChangeRequest.class);
    }

    private static HttpResponse<String> send(LiveNode live, String method, String path, String body, String token) {
        try {
            return live.send(method, path, body, token);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decision(String why, int revision) {
        return "{\"reason\": \"" + why + "\", \"revision\": " + revision + "}";
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
