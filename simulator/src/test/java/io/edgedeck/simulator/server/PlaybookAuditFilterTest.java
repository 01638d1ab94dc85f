package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.Role;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.PlaybookSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Who killed checkout-button?": the audit's {@code flag} filter, and its export, find what a
 * playbook's run and a cue's scheduled playbook did to a flag or guardrail, though each is one
 * entry under the playbook's id. The entry names the flags and guardrails it touched, on a
 * restarted node too.
 */
class PlaybookAuditFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final PlaybookSpec CALM = new PlaybookSpec("calm", "kill the button, quiet the guard",
            List.of(new PlaybookSpec.Action("kill", "checkout-button", null, null, null, null),
                    new PlaybookSpec.Action("disarm", null, null, null, null, "sentiment-guard")), null);
    private static final PlaybookSpec STOP = new PlaybookSpec("stop-the-bleed", "treatment back to control in Europe",
            List.of(new PlaybookSpec.Action("rollback", "checkout-button", "treatment", List.of("fra", "ams"), null, null)), null);

    @TempDir
    Path dataDir;

    private LiveNode node() throws Exception {
        Scenario s = ScenarioCatalog.resolve("steady-show");
        Scenario with = new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(), s.regions(),
                s.audience(), s.flags(), s.triggers(), s.guardrails(), s.cues(), Approvals.NONE, List.of(CALM, STOP));
        return LiveNode.start(dataDir, 1, 0, c -> new EdgeNode.Config(ShowDefinition.of(with), c.speed(), c.bind(), c.port(), c.dataDir()));
    }

    @Test
    void aFlagsEntriesIncludeWhatPlaybooksAndCuesDidToIt() throws Exception {
        List<String> before;
        try (LiveNode live = node()) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            ok(live.send("POST", "/schedule", "{\"cue\": \"drop\", \"playbook\": \"stop-the-bleed\", \"reason\": \"at the drop\"}", alice));
            ok(live.send("POST", "/show/cues/drop", "{}", alice));
            ok(live.send("POST", "/playbooks/calm/run", "{\"reason\": \"calm down\"}", alice));

            List<AuditEntry> button = audit(live, "checkout-button");
            AuditEntry calm = only(button, "playbook.run", "calm");
            assertEquals("alice", calm.actor());
            assertEquals(List.of("checkout-button", "sentiment-guard"), calm.touched());
            assertTrue(List.of(calm.after().split("; ")).contains("kill checkout-button"), "the console reads the kill so: " + calm.after());
            AuditEntry stop = only(button, "playbook.run", "stop-the-bleed");
            assertEquals("schedule", stop.actor());
            assertEquals(List.of("checkout-button"), stop.touched());
            assertTrue(button.stream().allMatch(e -> e.concerns("checkout-button")), button.toString());

            List<AuditEntry> guard = audit(live, "sentiment-guard");
            assertEquals(calm, only(guard, "playbook.run", "calm"), "the disarm is in the guardrail's story");
            assertTrue(guard.stream().noneMatch(e -> e.target().equals("stop-the-bleed")), "a run that left the guard alone is not");

            String export = ok(live.send("GET", "/audit/export?flag=checkout-button", null));
            List<String> lines = Arrays.asList(export.strip().split("\n"));
            assertEquals(button.size(), lines.size(), export);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"target\":\"calm\"")), export);
            before = lines;
        }
        try (LiveNode again = node()) {
            String export = ok(again.send("GET", "/audit/export?flag=checkout-button", null));
            assertEquals(before, Arrays.asList(export.strip().split("\n")), "a restarted node names the same flags");
        }
    }

    private static AuditEntry only(List<AuditEntry> entries, String action, String target) {
        List<AuditEntry> found = entries.stream().filter(e -> e.action().equals(action) && e.target().equals(target)).toList();
        assertEquals(1, found.size(), action + " " + target + " in " + entries);
        return found.getFirst();
    }

    private static List<AuditEntry> audit(LiveNode live, String flag) throws Exception {
        return List.of(JSON.readValue(ok(live.send("GET", "/audit?flag=" + flag, null)), AuditEntry[].class));
    }

    private static String ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        return r.body();
    }
}
