package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.server.control.ControlApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every change the OpenAPI document lists, made by a person on a real node, leaves exactly one
 * audit entry, and it names that person; the same change by a viewer is refused and leaves none.
 * The entries survive a restart of the node. The operations come from the document, so a change
 * added to the API without an audit entry fails here.
 */
class AuditWalkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Lanes, so the change requests' operations are walked too: a treatment raised above 60% waits. */
    private static final Approvals LANES = new Approvals(60.0, false, false, null);

    @TempDir
    Path dataDir;

    /** A documented change: its path, method, path parameters filled from the examples, and its example body. */
    private record Change(String method, String path, String concretePath, String body) {
        String label() {
            return method + " " + path;
        }
    }

    private static List<Change> documentedChanges() throws Exception {
        JsonNode doc;
        try (InputStream in = AuditWalkTest.class.getResourceAsStream("/io/edgedeck/client/openapi.json")) {
            assertNotNull(in, "the OpenAPI document is on the class path");
            doc = JSON.readTree(in);
        }
        List<Change> changes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getKey().startsWith(ControlApi.PREFIX)) {
                continue;
            }
            for (String method : List.of("post", "put", "patch", "delete")) {
                JsonNode op = path.getValue().get(method);
                // A live node's own operations are walked on a live node: PrivacyNodeTest, CheckoutTokenNodeTest; a fleet
                // node's (a retry of a change Kafka did not confirm) on a fleet: FleetCueRetryKafkaTest.
                if (op == null || op.path("x-edgedeck-live-only").asBoolean() || op.path("x-edgedeck-fleet-only").asBoolean()) {
                    continue;
                }
                String concrete = path.getKey().substring(ControlApi.PREFIX.length());
                for (JsonNode p : op.path("parameters")) {
                    if (p.get("in").asText().equals("path")) {
                        concrete = concrete.replace("{" + p.get("name").asText() + "}", p.get("example").asText());
                    }
                }
                JsonNode example = op.path("requestBody").path("content").path("application/json").path("example");
                changes.add(new Change(method.toUpperCase(), path.getKey(), concrete, example.isMissingNode() ? "{}" : example.toString()));
            }
        }
        return changes;
    }

    @Test
    void everyDocumentedChangeLeavesExactlyOneAuditEntryNamingTheCaller() throws Exception {
        List<Change> changes = documentedChanges();
        assertEquals(23, changes.size(), "the document's changes: " + changes);
        List<AuditEntry> audited;
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, LANES)) {
            String alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            String carol = live.addOperator("carol", Role.VIEWER);
            LiveNode.await("a first frame", () -> live.node.latestFrame() != null);
            for (Change change : changes) {
                String body = prepare(live, change);
                String path = requestPath(live, change, alice, bob);
                int before = audit(live).size();

                HttpResponse<String> refused = live.send(change.method(), path, body, carol);
                assertEquals(403, refused.statusCode(), change.label() + " by a viewer: " + refused.body());
                assertEquals(before, audit(live).size(), change.label() + " by a viewer left an audit entry");

                HttpResponse<String> done = live.send(change.method(), path, body, alice);
                assertTrue(done.statusCode() < 300, change.label() + " by alice: " + done.statusCode() + " " + done.body());
                List<AuditEntry> after = audit(live);
                assertEquals(before + 1, after.size(), change.label() + " should leave exactly one audit entry: "
                        + after.subList(before, after.size()));
                assertEquals("alice", after.getLast().actor(), change.label() + ": " + after.getLast());
            }
            audited = audit(live);
        }
        try (LiveNode restarted = ApprovalLanesTest.withLanes(dataDir, LANES)) {
            assertEquals(audited, audit(restarted), "a restarted node shows the same audit trail, show control included");
        }
    }

    /**
     * Puts the node where {@code change} changes something (a kill needs a live flag, a resume a
     * paused show), using the admin token, and returns the body to send: the documented example,
     * with the flag's current version where the change is based on one.
     */
    private static String prepare(LiveNode live, Change change) throws Exception {
        String flags = live.send("GET", "/flags", null).body();
        JsonNode flag = flagNamed(JSON.readTree(flags), "checkout-button");
        switch (change.path()) {
            case "/api/v1/flags/{key}", "/api/v1/flags/{key}/restore", "/api/v1/requests/{id}" -> {
                ObjectNode body = (ObjectNode) JSON.readTree(change.body());
                body.put("expectedVersion", flag.get("version").asLong());
                return body.toString();
            }
            case "/api/v1/flags/{key}/kill" -> admin(live, "POST", "/flags/checkout-button/unkill", !flag.get("killed").asBoolean());
            case "/api/v1/flags/{key}/unkill" -> admin(live, "POST", "/flags/checkout-button/kill", flag.get("killed").asBoolean());
            case "/api/v1/guardrails/{id}/arm", "/api/v1/guardrails/{id}/disarm" -> {
                boolean arming = change.path().endsWith("/arm");
                boolean armed = false;
                for (JsonNode g : JSON.readTree(live.send("GET", "/guardrails", null).body())) {
                    if (change.concretePath().contains("/" + g.get("id").asText() + "/")) {
                        armed = g.get("armed").asBoolean();
                    }
                }
                admin(live, "POST", change.concretePath().replaceAll("/(arm|disarm)$", arming ? "/disarm" : "/arm"), armed == arming);
            }
            case "/api/v1/rollbacks" -> {
                boolean serving = false;
                for (JsonNode v : flag.get("variants")) {
                    serving |= v.get("name").asText().equals("treatment") && v.get("weight").asInt() > 0;
                }
                if (!serving) {
                    assertEquals(200, live.send("PATCH", "/flags/checkout-button", "{\"expectedVersion\": " + flag.get("version")
                            + ", \"variants\": [{\"name\": \"control\", \"weight\": 5000}, {\"name\": \"treatment\", \"weight\": 5000}],"
                            + " \"reason\": \"serve the treatment again\"}").statusCode());
                }
            }
            case "/api/v1/flags/{key}/pop-rollbacks/clear" -> {
                // a PoP-local rollback to clear: a playbook of its own rolls the treatment back at fra and ams
                admin(live, "POST", "/playbooks", "{\"id\": \"europe-back\", \"actions\": [{\"type\": \"rollback\", \"flag\":"
                        + " \"checkout-button\", \"variant\": \"treatment\", \"pops\": [\"fra\", \"ams\"]}], \"reason\": \"set up by the test\"}");
                admin(live, "POST", "/playbooks/europe-back/run", "{\"reason\": \"set up by the test\"}");
            }
            case "/api/v1/flags/{key}/variants/{variant}/resume" -> live.node.runner().submit(s -> {
                // a paused variant to resume, as a guardrail's pause leaves it
                s.core().experiments().setPaused("checkout-button", "treatment", true, "guardrail:sentiment-guard", "set up by the test",
                        io.edgedeck.simulator.show.ShowChanges.now(s));
                return null;
            }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            case "/api/v1/show/pause" -> admin(live, "POST", "/show/resume", true);
            case "/api/v1/show/resume" -> admin(live, "POST", "/show/pause", true);
            case "/api/v1/show/speed" -> {
                double wanted = JSON.readTree(change.body()).get("speed").asDouble();
                if (live.node.latestFrame().speed() == wanted) {
                    admin(live, "PUT", "/show/speed", "{\"speed\": " + (wanted + 1) + "}");
                }
            }
            default -> {
                // a change that needs no state to take effect (a cue)
            }
        }
        return change.body();
    }

    /**
     * The path of {@code change}: the documented example, a playbook made to be retired, or for a change request's operation a
     * request of its own in the state it acts on: alice's own for her edit; the admin token's for
     * her to approve or reject; the admin token's approved by bob for her to apply.
     */
    private static String requestPath(LiveNode live, Change change, String alice, String bob) throws Exception {
        if (change.path().equals("/api/v1/playbooks/{id}/retire")) {
            // a playbook of its own to retire: the documented one is scheduled by a later change
            admin(live, "POST", "/playbooks", "{\"id\": \"retire-me\", \"actions\": [{\"type\": \"kill\", \"flag\":"
                    + " \"checkout-button\"}], \"reason\": \"made to be retired\"}");
            return "/playbooks/retire-me/retire";
        }
        if (!change.path().startsWith("/api/v1/requests/{id}")) {
            return change.concretePath();
        }
        JsonNode flag = flagNamed(JSON.readTree(live.send("GET", "/flags", null).body()), "checkout-button");
        int treatment = Math.max(7000, flag.get("variants").get(1).get("weight").asInt() + 1);
        HttpResponse<String> held = live.send("PATCH", "/flags/checkout-button", "{\"expectedVersion\": " + flag.get("version")
                + ", \"variants\": [{\"name\": \"control\", \"weight\": " + (10_000 - treatment) + "}, {\"name\": \"treatment\","
                + " \"weight\": " + treatment + "}], \"reason\": \"ramp for the drop\"}", change.method().equals("PATCH") ? alice : live.token);
        assertEquals(202, held.statusCode(), held.body());
        String id = JSON.readTree(held.body()).get("id").asText();
        if (change.path().endsWith("/apply")) {
            assertEquals(200, live.send("POST", "/requests/" + id + "/approve", "{\"reason\": \"fine\", \"revision\": 1}", bob).statusCode());
        }
        return change.concretePath().replace("/requests/1", "/requests/" + id);
    }

    private static void admin(LiveNode live, String method, String path, boolean needed) throws Exception {
        if (needed) {
            admin(live, method, path, "{\"reason\": \"set up by the test\"}");
        }
    }

    private static void admin(LiveNode live, String method, String path, String body) throws Exception {
        HttpResponse<String> r = live.send(method, path, body);
        assertTrue(r.statusCode() < 300, method + " " + path + ": " + r.body());
    }

    private static JsonNode flagNamed(JsonNode flags, String key) {
        for (JsonNode f : flags) {
            if (f.get("key").asText().equals(key)) {
                return f;
            }
        }
        throw new AssertionError("no flag " + key);
    }

    private static List<AuditEntry> audit(LiveNode live) throws Exception {
        return List.of(JSON.readValue(live.send("GET", "/audit", null).body(), AuditEntry[].class));
    }
}
