package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.PlaybookSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Switching off the two-person rule, or loosening a guardrail, by editing the node configuration and
 * starting the node again is an operator's change: the start audits it by {@code config}, before and
 * after in words, once; a start that changes nothing audits nothing.
 */
class NodeConfigAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Approvals LANES = new Approvals(60.0, true, true, null);
    private static final PlaybookSpec CALM = new PlaybookSpec("calm", "kill the button",
            List.of(new PlaybookSpec.Action("kill", "checkout-button", null, null, null, null)), null);

    @TempDir
    Path dataDir;

    private List<AuditEntry> start(Approvals lanes, long minExposures, int cooldownSeconds) throws Exception {
        Scenario s = ScenarioCatalog.resolve("steady-show");
        List<GuardrailSpec> guardrails = s.guardrails().stream().map(g -> !g.id().equals("sentiment-guard") ? g
                : new GuardrailSpec(g.id(), g.flag(), g.variant(), g.match(), g.conditions(), g.windowSeconds(), minExposures,
                cooldownSeconds, g.action(), g.armed())).toList();
        Scenario with = new Scenario(s.name(), s.description(), s.seed(), s.durationSeconds(), s.frameMillis(), s.pops(), s.regions(),
                s.audience(), s.flags(), s.triggers(), guardrails, s.cues(), lanes, List.of(CALM));
        try (LiveNode live = LiveNode.start(dataDir, 1, 0,
                c -> new EdgeNode.Config(ShowDefinition.of(with), c.speed(), c.bind(), c.port(), c.dataDir()))) {
            HttpResponse<String> r = live.send("GET", "/audit?person=config", null);
            assertEquals(200, r.statusCode(), r.body());
            return List.of(JSON.readValue(r.body(), AuditEntry[].class));
        }
    }

    @Test
    void aStartThatLoosensTheRulesIsAuditedOnceAndAStartThatChangesNothingIsNot() throws Exception {
        List<AuditEntry> first = start(LANES, 300, 120);
        AuditEntry lanes = first.stream().filter(e -> e.action().equals("approvals.set")).findFirst().orElseThrow();
        assertEquals("none", lanes.before());
        assertEquals("variant above 60%, unkill, disarm", lanes.after());
        AuditEntry guard = first.stream().filter(e -> e.target().equals("sentiment-guard")).findFirst().orElseThrow();
        assertEquals("guardrail.set", guard.action());
        assertEquals("checkout-button/treatment: all of sentimentChange < -0.15, conversionLift < 0.03 over 120s;"
                + " minExposures 300; cooldownSeconds 120; rollback; armed at start", guard.after());
        assertTrue(first.stream().anyMatch(e -> e.action().equals("playbook.set") && e.target().equals("calm")
                && e.after().equals("kill checkout-button")), first.toString());

        assertEquals(first, start(LANES, 300, 120), "the same configuration again: nothing new");

        List<AuditEntry> third = start(Approvals.NONE, 10, 5);
        List<AuditEntry> added = third.subList(first.size(), third.size());
        assertEquals(2, added.size(), added.toString());
        assertEquals("approvals.set", added.get(0).action());
        assertEquals("variant above 60%, unkill, disarm", added.get(0).before());
        assertEquals("none", added.get(0).after());
        assertEquals("guardrail.set", added.get(1).action());
        assertEquals(guard.after(), added.get(1).before());
        assertTrue(added.get(1).after().contains("minExposures 10; cooldownSeconds 5;"), added.get(1).after());

        assertEquals(third, start(Approvals.NONE, 10, 5), "and again: nothing new");
    }
}
