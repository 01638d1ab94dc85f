package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.client.EdgeException;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.client.http.PlaybookClient;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.CueFired;
import io.edgedeck.client.model.NewPlaybook;
import io.edgedeck.client.model.NewScheduledChange;
import io.edgedeck.client.model.PlaybookAction;
import io.edgedeck.client.model.ScheduledChange;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.client.model.Playbook;
import io.edgedeck.client.model.Role;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.scenario.Approvals;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.PlaybookSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Playbooks on a real node: a declared playbook runs every action as one journal record and one
 * audit entry; a playbook one of whose actions cannot apply changes nothing at all; a risky playbook
 * made through the API waits for a second person once and then runs without another approval, and a
 * restarted node has it and the same audit; a playbook the show ties to a guardrail is run by the
 * node itself when the guardrail fires, with nobody connected.
 */
class PlaybookNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private static final PlaybookSpec EUROPE_SAFE = new PlaybookSpec("europe-safe", "treatment back to control in Europe, guard armed",
            List.of(new PlaybookSpec.Action("rollback", "checkout-button", "treatment", List.of("fra", "ams"), null, null),
                    new PlaybookSpec.Action("arm", null, null, null, null, "sentiment-guard")), null);

    /** {@code name}'s scenario with approval lanes and these playbooks, on a node at {@code speed}. */
    private LiveNode node(String name, double speed, Approvals lanes, List<PlaybookSpec> playbooks) throws Exception {
        return node(name, ScenarioCatalog.resolve(name).seed(), speed, lanes, playbooks);
    }

    private LiveNode node(String name, long seed, double speed, Approvals lanes, List<PlaybookSpec> playbooks) throws Exception {
        return node(ScenarioCatalog.resolve(name), seed, speed, lanes, playbooks);
    }

    private LiveNode node(Scenario s, long seed, double speed, Approvals lanes, List<PlaybookSpec> playbooks) throws Exception {
        Scenario with = new Scenario(s.name(), s.description(), seed, s.durationSeconds(), s.frameMillis(), s.pops(), s.regions(),
                s.audience(), s.flags(), s.triggers(), s.guardrails(), s.cues(), lanes, playbooks);
        return LiveNode.start(dataDir, speed, 0, c -> new EdgeNode.Config(ShowDefinition.of(with), c.speed(), c.bind(), c.port(), c.dataDir()));
    }

    @Test
    void aDeclaredPlaybookAppliesEveryActionAsOneJournalRecordAndOneAuditEntry() throws Exception {
        try (LiveNode live = node("steady-show", 2, Approvals.NONE, List.of(EUROPE_SAFE))) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            String vera = live.addOperator("vera", Role.VIEWER);
            ok(live.send("POST", "/guardrails/sentiment-guard/disarm", reason("quiet rehearsal")));
            Playbook declared = JSON.readValue(ok(live.send("GET", "/playbooks/europe-safe", null, vera)), Playbook.class);
            assertEquals(Playbook.State.READY, declared.state());
            assertEquals("config", declared.createdBy());
            assertEquals(403, live.send("POST", "/playbooks/europe-safe/run", reason("no"), vera).statusCode(), "a viewer runs nothing");
            int before = audit(live).size();
            long records = actionRecords();

            JsonNode run = JSON.readTree(ok(live.send("POST", "/playbooks/europe-safe/run", reason("treatment hurts chat in Europe"), alice)));
            assertEquals(List.of("roll back checkout-button/treatment at fra, ams", "arm sentiment-guard"),
                    JSON.convertValue(run.get("changes"), List.class));
            List<AuditEntry> after = audit(live);
            assertEquals(before + 1, after.size(), "one entry for the run: " + after.subList(before, after.size()));
            AuditEntry entry = after.getLast();
            assertEquals("alice", entry.actor());
            assertEquals("playbook.run", entry.action());
            assertEquals("europe-safe", entry.target());
            assertEquals("roll back checkout-button/treatment at fra, ams; arm sentiment-guard", entry.after());
            assertEquals(records + 1, actionRecords(), "one journal record holds both changes");
            assertTrue(guardrail(live).get("armed").asBoolean(), "the guardrail was armed");

            JsonNode again = JSON.readTree(ok(live.send("POST", "/playbooks/europe-safe/run", reason("again"), alice)));
            assertTrue(again.get("changes").isEmpty(), "everything is already so: " + again);
            List<AuditEntry> afterAgain = audit(live);
            assertEquals(before + 2, afterAgain.size(), "a person's run that changes nothing is still one entry");
            assertEquals("alice", afterAgain.getLast().actor());
            assertEquals("playbook.run", afterAgain.getLast().action());
            assertEquals("nothing to change: every action was already in effect", afterAgain.getLast().after());

            HttpResponse<String> bad = live.send("POST", "/playbooks/europe-safe/run", "{}", alice);
            assertEquals(400, bad.statusCode());
            assertEquals("reason", JSON.readTree(bad.body()).get("field").asText(), bad.body());
            assertEquals(404, live.send("POST", "/playbooks/no-such/run", reason("x"), alice).statusCode());
        }
    }

    @Test
    void whenOneActionCannotApplyNothingOfThePlaybookDoes() throws Exception {
        // a third variant, which the guardrail watches instead: a watched variant cannot be renamed away
        Scenario steady = ScenarioCatalog.resolve("steady-show");
        FlagSpec f = steady.flags().getFirst();
        GuardrailSpec g = steady.guardrails().getFirst();
        Scenario three = new Scenario(steady.name(), steady.description(), steady.seed(), steady.durationSeconds(), steady.frameMillis(),
                steady.pops(), steady.regions(), steady.audience(), List.of(new FlagSpec(f.key(), f.description(), f.owner(),
                        List.of(new FlagSpec.Variant("control", 50), new FlagSpec.Variant("treatment", 25), new FlagSpec.Variant("bold", 25)),
                        f.control(), f.scope(), f.salt(), f.effects())), steady.triggers(),
                List.of(new GuardrailSpec(g.id(), g.flag(), "bold", g.match(), g.conditions(), g.windowSeconds(), g.minExposures(),
                        g.cooldownSeconds(), g.action(), g.armed())), steady.cues(), steady.approvals(), steady.playbooks());
        try (LiveNode live = node(three, steady.seed(), 2, Approvals.NONE, List.of(EUROPE_SAFE))) {
            ok(live.send("POST", "/guardrails/sentiment-guard/disarm", reason("quiet rehearsal")));
            // the treatment is renamed: the playbook's rollback of "treatment" can no longer apply, its arm still could
            long version = flag(live).get("version").asLong();
            ok(live.send("PATCH", "/flags/checkout-button", "{\"expectedVersion\": " + version + ", \"variants\": [{\"name\": \"control\","
                    + " \"weight\": 5000}, {\"name\": \"fresh\", \"weight\": 2500}, {\"name\": \"bold\", \"weight\": 2500}],"
                    + " \"reason\": \"new design\"}"));
            int before = audit(live).size();
            long records = actionRecords();

            HttpResponse<String> refused = live.send("POST", "/playbooks/europe-safe/run", reason("treatment hurts chat"));
            assertTrue(refused.statusCode() >= 400 && refused.statusCode() < 500, refused.statusCode() + " " + refused.body());
            assertEquals("actions[0].variant", JSON.readTree(refused.body()).get("field").asText(), refused.body());
            assertFalse(guardrail(live).get("armed").asBoolean(), "the arm, which could apply, did not");
            assertEquals(before, audit(live).size(), "nothing audited");
            assertEquals(records, actionRecords(), "nothing journaled");
        }
    }

    @Test
    void aRiskyPlaybookWaitsForASecondPersonOnceThenRunsWithoutAnother() throws Exception {
        String ramp = "{\"id\": \"ramp\", \"actions\": [{\"type\": \"change\", \"flag\": \"checkout-button\", \"variants\": [{\"name\": \"control\","
                + " \"weight\": 2000}, {\"name\": \"treatment\", \"weight\": 8000}]}], \"reason\": \"ramp at the drop\"}";
        List<AuditEntry> audited;
        List<Playbook> playbooks;
        try (LiveNode live = node("steady-show", 2, new Approvals(60.0, false, false, null), List.of())) {
            String alice = live.addOperator("alice", Role.APPROVER);
            String bob = live.addOperator("bob", Role.APPROVER);
            HttpResponse<String> bad = live.send("POST", "/playbooks", ramp.replace("\"type\": \"change\"", "\"type\": \"chnage\""), alice);
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals("actions[0].type", JSON.readTree(bad.body()).get("field").asText());
            HttpResponse<String> unknown = live.send("POST", "/playbooks", ramp.replace("\"checkout-button\"", "\"checkout-buton\""), alice);
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertEquals("actions[0].flag", JSON.readTree(unknown.body()).get("field").asText());

            HttpResponse<String> held = live.send("POST", "/playbooks", ramp, alice);
            assertEquals(202, held.statusCode(), held.body());
            JsonNode request = JSON.readTree(held.body());
            assertEquals("playbook.create", request.get("operation").asText());
            assertTrue(request.get("risks").get(0).asText().contains("raises treatment of checkout-button to 80.00%"), held.body());
            assertEquals("held", JSON.readTree(ok(live.send("GET", "/playbooks/ramp", null))).get("state").asText());
            assertEquals(409, live.send("POST", "/playbooks/ramp/run", reason("now"), alice).statusCode(), "a held playbook does not run");
            String path = "/requests/" + request.get("id").asText();
            assertEquals(403, live.send("POST", path + "/approve", "{\"reason\": \"mine is fine\", \"revision\": 1}", alice).statusCode());
            ok(live.send("POST", path + "/approve", "{\"reason\": \"checked with the producer\", \"revision\": 1}", bob));
            int before = audit(live).size();
            ok(live.send("POST", path + "/apply", "{}", alice));
            List<AuditEntry> applied = audit(live);
            assertEquals(before + 1, applied.size(), applied.subList(before, applied.size()).toString());
            assertEquals("playbook.create", applied.getLast().action());
            assertEquals("ready", JSON.readTree(ok(live.send("GET", "/playbooks/ramp", null))).get("state").asText());

            before = applied.size();
            ok(live.send("POST", "/playbooks/ramp/run", reason("the drop is live"), alice));
            assertEquals(8000, flag(live).get("variants").get(1).get("weight").asInt(), "it ran with no second approval");
            List<AuditEntry> ran = audit(live);
            assertEquals(before + 1, ran.size());
            assertEquals("playbook.run", ran.getLast().action());
            audited = ran;
            playbooks = List.of(JSON.readValue(ok(live.send("GET", "/playbooks", null)), Playbook[].class));
        }
        try (LiveNode restarted = node("steady-show", 2, new Approvals(60.0, false, false, null), List.of())) {
            assertEquals(playbooks, List.of(JSON.readValue(ok(restarted.send("GET", "/playbooks", null)), Playbook[].class)));
            assertEquals(audited, audit(restarted), "the same trail after a restart");
            assertEquals(8000, flag(restarted).get("variants").get(1).get("weight").asInt());
        }
    }

    @Test
    void aRetiredPlaybookStaysListedNeverRunsAndARestartKeepsItRetired() throws Exception {
        List<AuditEntry> audited;
        try (LiveNode live = node("steady-show", 2, Approvals.NONE, List.of(EUROPE_SAFE))) {
            String alice = live.addOperator("alice", Role.OPERATOR);
            String viewer = live.addOperator("vic", Role.VIEWER);
            JsonNode scheduled = JSON.readTree(ok(live.send("POST", "/schedule",
                    "{\"cue\": \"drop\", \"playbook\": \"europe-safe\", \"reason\": \"at the drop\"}", alice)));
            HttpResponse<String> waiting = live.send("POST", "/playbooks/europe-safe/retire", reason("replaced"), alice);
            assertEquals(409, waiting.statusCode(), waiting.body());
            assertTrue(JSON.readTree(waiting.body()).get("detail").asText().contains("#" + scheduled.get("id").asText()
                    + " (cue drop)"), waiting.body());
            ok(live.send("POST", "/schedule/" + scheduled.get("id").asText() + "/cancel", reason("no drop today"), alice));

            int before = audit(live).size();
            assertEquals(403, live.send("POST", "/playbooks/europe-safe/retire", reason("replaced"), viewer).statusCode());
            assertEquals(400, live.send("POST", "/playbooks/europe-safe/retire", "{}", alice).statusCode());
            assertEquals(404, live.send("POST", "/playbooks/no-such/retire", reason("x"), alice).statusCode());
            JsonNode retired = JSON.readTree(ok(live.send("POST", "/playbooks/europe-safe/retire", reason("replaced by v2"), alice)));
            assertEquals("retired", retired.get("state").asText());
            List<AuditEntry> after = audit(live);
            assertEquals(before + 1, after.size(), after.subList(before, after.size()).toString());
            assertEquals("playbook.retire", after.getLast().action());
            assertEquals("alice", after.getLast().actor());
            assertEquals("ready", after.getLast().before());

            assertEquals(409, live.send("POST", "/playbooks/europe-safe/run", reason("now"), alice).statusCode(), "never runs");
            assertEquals(409, live.send("POST", "/playbooks/europe-safe/retire", reason("again"), alice).statusCode());
            assertEquals(409, live.send("POST", "/schedule", "{\"cue\": \"drop\", \"playbook\": \"europe-safe\","
                    + " \"reason\": \"at the drop\"}", alice).statusCode(), "nor can it be scheduled");
            assertEquals(before + 1, audit(live).size(), "refusals leave no entry");
            audited = audit(live);
        }
        try (LiveNode restarted = node("steady-show", 2, Approvals.NONE, List.of(EUROPE_SAFE))) {
            assertEquals("retired", JSON.readTree(ok(restarted.send("GET", "/playbooks/europe-safe", null))).get("state").asText(),
                    "the show declares it ready; the journal says it was retired");
            assertEquals(audited, audit(restarted));
        }
    }

    @Test
    void theNodeRunsAPlaybookItselfWhenItsGuardrailFires() throws Exception {
        PlaybookSpec onFire = new PlaybookSpec("kill-on-conversion-drop", "", List.of(
                new PlaybookSpec.Action("kill", "checkout-redesign", null, null, null, null),
                new PlaybookSpec.Action("disarm", null, null, null, null, "latency-guard")), "conversion-guard");
        // seed 7: conversion-guard rolls the treatment back at 286 s of the show (docs/GUARDRAILS.md's runs)
        try (LiveNode live = node("conversion-drop", 7, 0, Approvals.NONE, List.of(onFire))) {
            LiveNode.await("the guardrail fired and the node ran the playbook", () -> {
                try {
                    return audit(live).stream().anyMatch(e -> e.action().equals("playbook.run"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            List<AuditEntry> runs = audit(live).stream().filter(e -> e.action().equals("playbook.run")).toList();
            assertEquals(1, runs.size(), runs.toString());
            assertEquals("guardrail:conversion-guard", runs.getFirst().actor());
            assertEquals("kill-on-conversion-drop", runs.getFirst().target());
            assertEquals("kill checkout-redesign; disarm latency-guard", runs.getFirst().after());
            assertTrue(runs.getFirst().reason().startsWith("guardrail conversion-guard fired"), runs.getFirst().reason());
            for (JsonNode f : JSON.readTree(ok(live.send("GET", "/flags", null)))) {
                assertTrue(f.get("killed").asBoolean(), "the playbook killed " + f);
            }
        }
    }

    @Test
    void theConsolesClientMakesRunsAndSchedulesPlaybooks() throws Exception {
        try (LiveNode live = node("steady-show", 2, new Approvals(60.0, false, false, null), List.of());
             HttpEdgeConnection alice = live.connect(live.addOperator("alice", Role.OPERATOR))) {
            PlaybookClient client = alice.playbooks();
            Playbook made = client.create(new NewPlaybook("pause-europe", "", List.of(PlaybookAction.rollback("checkout-button", "treatment",
                    List.of("fra"))), null, "prepared")).get(10, TimeUnit.SECONDS);
            assertEquals(Playbook.State.READY, made.state());
            ExecutionException held = assertThrows(ExecutionException.class, () -> client.create(new NewPlaybook("ramp", "", List.of(
                    PlaybookAction.change("checkout-button", List.of(new VariantView("control", 1000), new VariantView("treatment", 9000)))),
                    null, "ramp")).get(10, TimeUnit.SECONDS));
            assertEquals(EdgeException.Kind.HELD, ((EdgeException) held.getCause()).kind(), held.getCause().getMessage());
            ScheduledChange scheduled = client.schedule(new NewScheduledChange("drop", null, "pause-europe", null, "at the drop"))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(List.of(scheduled), client.schedule().get(10, TimeUnit.SECONDS));
            CueFired cue = client.fireCue("drop", "live").get(10, TimeUnit.SECONDS);
            assertEquals(ScheduledChange.State.FIRED, cue.fired().getFirst().state());
            assertEquals("roll back checkout-button/treatment at fra", cue.fired().getFirst().outcome());
            assertTrue(client.run("pause-europe", "again").get(10, TimeUnit.SECONDS).changes().isEmpty(), "already rolled back at fra");
            ScheduledChange later = client.schedule(new NewScheduledChange("encore", null, null, PlaybookAction.kill("checkout-button"),
                    "end of show")).get(10, TimeUnit.SECONDS);
            assertEquals(ScheduledChange.State.CANCELLED, client.cancel(later.id(), "no encore").get(10, TimeUnit.SECONDS).state());
            assertEquals(2, client.playbooks().get(10, TimeUnit.SECONDS).size());
        }
    }

    private long actionRecords() throws Exception {
        return Files.readAllLines(dataDir.resolve("journal.jsonl")).stream().filter(l -> l.startsWith("{\"type\":\"actions\"")).count();
    }

    private static JsonNode guardrail(LiveNode live) throws Exception {
        return JSON.readTree(ok(live.send("GET", "/guardrails", null))).get(0);
    }

    private static JsonNode flag(LiveNode live) throws Exception {
        return JSON.readTree(ok(live.send("GET", "/flags", null))).get(0);
    }

    private static String reason(String why) {
        return "{\"reason\": \"" + why + "\"}";
    }

    private static String ok(HttpResponse<String> r) {
        assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
        return r.body();
    }

    private static List<AuditEntry> audit(LiveNode live) throws Exception {
        return List.of(JSON.readValue(ok(live.send("GET", "/audit", null)), AuditEntry[].class));
    }
}
