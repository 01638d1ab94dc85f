package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail filtered by person, flag and kind, and exported as JSON lines, on a real node. */
class AuditExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void filtersSelectByPersonFlagAndKindAndTheExportIsTheSameEntriesAsJsonLines() throws Exception {
        try (LiveNode live = LiveNode.start(dataDir, 2)) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            String bob = live.addOperator("bob", Role.OPERATOR);
            LiveNode.await("a first frame", () -> live.node.latestFrame() != null);
            ok(live.send("POST", "/flags/checkout-button/kill", "{\"reason\": \"broken button\"}", alice));
            ok(live.send("POST", "/show/pause", null, bob));
            ok(live.send("POST", "/flags/checkout-button/unkill", "{\"reason\": \"fixed\"}", bob));
            ok(live.send("POST", "/show/resume", null, alice));

            List<AuditEntry> all = entries(live, "");
            assertTrue(all.size() >= 4, "the set-up and four changes: " + all);

            List<AuditEntry> byAlice = entries(live, "?person=alice");
            assertEquals(List.of("flag.kill", "show.resume"), byAlice.stream().map(AuditEntry::action).toList());
            assertEquals(all.stream().filter(e -> e.actor().equals("alice")).toList(), byAlice);

            List<AuditEntry> ofTheFlag = entries(live, "?flag=checkout-button&kind=flag");
            assertFalse(ofTheFlag.isEmpty());
            assertTrue(ofTheFlag.stream().allMatch(e -> e.target().equals("checkout-button") && e.action().startsWith("flag.")),
                    ofTheFlag.toString());
            assertTrue(ofTheFlag.stream().anyMatch(e -> e.action().equals("flag.unkill") && e.actor().equals("bob")), ofTheFlag.toString());

            assertEquals(List.of("show.pause"), entries(live, "?kind=show&person=bob").stream().map(AuditEntry::action).toList());
            assertEquals(List.of("flag.kill"), entries(live, "?kind=flag.kill").stream().map(AuditEntry::action).toList());
            assertEquals(List.of(), entries(live, "?person=nobody"));

            HttpResponse<String> export = live.send("GET", "/audit/export?kind=flag", null);
            assertEquals(200, export.statusCode(), export.body());
            assertTrue(export.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"),
                    export.headers().toString());
            assertTrue(export.headers().firstValue("Content-Disposition").orElse("").contains("audit.jsonl"));
            assertTrue(export.body().endsWith("\n"), "every line ends with a newline");
            List<AuditEntry> lines = new ArrayList<>();
            for (String line : export.body().split("\n")) {
                lines.add(JSON.readValue(line, AuditEntry.class));
            }
            assertEquals(entries(live, "?kind=flag"), lines, "one entry per line, the same as the JSON answer");

            String viewer = live.addOperator("vera", Role.VIEWER);
            assertEquals(200, live.send("GET", "/audit/export", null, viewer).statusCode(), "a viewer may export the audit");
            assertEquals(401, live.send("GET", "/audit/export", null, "not-a-token").statusCode());
        }
    }

    private static List<AuditEntry> entries(LiveNode live, String query) throws Exception {
        HttpResponse<String> r = live.send("GET", "/audit" + query, null);
        assertEquals(200, r.statusCode(), r.body());
        return List.of(JSON.readValue(r.body(), AuditEntry[].class));
    }

    private static void ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
    }
}
