package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.ChangeRequest;
import io.edgedeck.client.model.FlagVersion;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.Approvals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flag's history and "restore this version" on a real node: every version with who, when and why;
 * a restore is one audited flag change, held by the approval lanes when it is risky; the history
 * survives a restart.
 */
class FlagHistoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Approvals LANES = new Approvals(60.0, false, false, null);

    @TempDir
    Path dataDir;

    @Test
    void everyVersionIsKeptAndARestoreIsAnAuditedChangeSubjectToTheLanes() throws Exception {
        List<FlagVersion> history;
        try (LiveNode live = ApprovalLanesTest.withLanes(dataDir, LANES)) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            String bob = live.addOperator("bob", Role.APPROVER);
            ok(live.send("PATCH", "/flags/checkout-button", change(1, 2000, "narrow it"), alice));
            ok(live.send("POST", "/flags/checkout-button/kill", "{\"reason\": \"broken\"}", alice));

            history = history(live);
            assertEquals(List.of(1L, 2L, 3L), history.stream().map(FlagVersion::version).toList());
            assertEquals("flag.create", history.get(0).action());
            assertEquals(5000, history.get(0).variants().get(1).weight());
            assertEquals("alice", history.get(1).actor());
            assertEquals("narrow it", history.get(1).reason());
            assertEquals(2000, history.get(1).variants().get(1).weight());
            assertTrue(history.get(2).killed());

            // restoring v1 (50%) lowers nothing above the lanes' 60%: it applies, as one flag.change
            int before = audit(live).size();
            JsonNode restored = JSON.readTree(ok(live.send("POST", "/flags/checkout-button/restore",
                    "{\"version\": 1, \"expectedVersion\": 3, \"reason\": \"the even split\"}", alice)));
            assertEquals(4, restored.get("version").asLong());
            assertEquals(5000, restored.get("variants").get(1).get("weight").asInt());
            assertTrue(restored.get("killed").asBoolean(), "a restore leaves the kill as it is");
            List<AuditEntry> after = audit(live);
            assertEquals(before + 1, after.size());
            assertEquals("flag.change", after.getLast().action());
            assertEquals("alice", after.getLast().actor());
            assertEquals("restore v1: the even split", after.getLast().reason());

            assertEquals(409, live.send("POST", "/flags/checkout-button/restore",
                    "{\"version\": 2, \"expectedVersion\": 3, \"reason\": \"stale\"}", alice).statusCode(), "based on an old version");
            HttpResponse<String> missing = live.send("POST", "/flags/checkout-button/restore",
                    "{\"version\": 99, \"expectedVersion\": 4, \"reason\": \"no such\"}", alice);
            assertEquals(404, missing.statusCode());
            assertEquals("version", JSON.readTree(missing.body()).get("field").asText());

            // a version whose treatment was above 60% comes back only with a second person's approval
            HttpResponse<String> ramp = live.send("PATCH", "/flags/checkout-button", change(4, 8000, "ramp"), alice);
            assertEquals(202, ramp.statusCode(), ramp.body());
            String request = "/requests/" + JSON.readValue(ramp.body(), ChangeRequest.class).id();
            ok(live.send("POST", request + "/approve", "{\"reason\": \"ok\", \"revision\": 1}", bob));
            ok(live.send("POST", request + "/apply", "{}", alice));
            ok(live.send("PATCH", "/flags/checkout-button", change(5, 1000, "calm down"), alice));
            HttpResponse<String> back = live.send("POST", "/flags/checkout-button/restore",
                    "{\"version\": 5, \"expectedVersion\": 6, \"reason\": \"the ramp again\"}", alice);
            assertEquals(202, back.statusCode(), back.body());
            ChangeRequest held = JSON.readValue(back.body(), ChangeRequest.class);
            assertEquals("restore v5: the ramp again", held.reason());
            assertEquals(8000, held.change().variants().get(1).weight());
            assertEquals(6, history(live).getLast().version(), "held, not applied");
            history = history(live);
        }
        try (LiveNode restarted = ApprovalLanesTest.withLanes(dataDir, LANES)) {
            assertEquals(history, history(restarted), "the history comes back from the journal");
        }
    }

    private static String change(long version, int treatment, String reason) {
        return "{\"expectedVersion\": " + version + ", \"variants\": [{\"name\": \"control\", \"weight\": " + (10_000 - treatment)
                + "}, {\"name\": \"treatment\", \"weight\": " + treatment + "}], \"reason\": \"" + reason + "\"}";
    }

    private static List<FlagVersion> history(LiveNode live) throws Exception {
        return List.of(JSON.readValue(ok(live.send("GET", "/flags/checkout-button/history", null)), FlagVersion[].class));
    }

    private static List<AuditEntry> audit(LiveNode live) throws Exception {
        return List.of(JSON.readValue(ok(live.send("GET", "/audit", null)), AuditEntry[].class));
    }

    private static String ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
        return r.body();
    }
}
