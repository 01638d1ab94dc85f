package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.engine.CoreConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeConfigParserTest {
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "node-config.json");

    private static NodeConfig parse(String json) {
        return NodeConfigParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDocumentedExampleIsValidAndSaysWhatItMeans() throws Exception {
        NodeConfig c = NodeConfigParser.resolve(EXAMPLE.toString());
        assertEquals("friday-drop", c.show().name());
        assertEquals("fra", c.defaultPop());
        assertEquals(120, c.sites().getFirst().slo().p95Ms());
        assertEquals(0.01, c.sites().getFirst().slo().maxLossRatio());
        assertEquals(150, c.sites().get(1).slo().p95Ms(), "an unstated objective is the default");
        assertEquals("https://fra.edge.example.com/healthz", c.probes().get("fra"));
        assertEquals(5000, c.ingest().maxBatchEvents());
        assertEquals(NodeConfig.Ingest.DEFAULT, c.ingest(), "the example shows every ingest limit at its default");
        // The example shows where browsers' origins go; none are listed, as by default.
        JsonNode example = new ObjectMapper().readTree(EXAMPLE.toFile());
        assertTrue(example.path("cors").path("allowedOrigins").isArray(), "the example has cors.allowedOrigins");
        assertEquals(List.of(), c.allowedOrigins());
        CoreConfig core = c.coreConfig();
        assertEquals(3, core.pops().size());
        assertEquals(1, core.flags().size());
        assertEquals(1, core.triggers().size());
        assertEquals(1, core.guardrails().size());
        assertEquals(110, core.pops().get(1).propagationDelayMillis());
    }

    /** docs/COST.md: a price per PoP, every PoP or none, never negative; a scenario's prices carry over. */
    @Test
    void heldIngestIsBoundedByAtLeastOneBatchOfTheLargestSize() {
        String node = """
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}],
                 "ingest": %s}""";
        assertEquals(NodeConfig.Ingest.DEFAULT_MAX_HELD_BYTES, parse(node.formatted("{}")).ingest().maxHeldBytes());
        assertEquals(65536, parse(node.formatted("{\"maxBatchBytes\": 65536, \"maxHeldBytes\": 65536}")).ingest().maxHeldBytes());
        ScenarioValidationException less = assertThrows(ScenarioValidationException.class,
                () -> parse(node.formatted("{\"maxBatchBytes\": 65536, \"maxHeldBytes\": 65535}")));
        assertEquals("$.ingest.maxHeldBytes", less.errors().getFirst().path(), less.getMessage());
        assertTrue(less.errors().getFirst().message().contains("less than ingest.maxBatchBytes (65536)"), less.getMessage());
    }

    @Test
    void popCostsAreReadAndAPartialOrNegativeOneIsRefusedByField() throws Exception {
        NodeConfig c = parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [
                  {"id": "fra", "region": "eu", "cost": {"perHour": 0.9, "perMillionRequests": 0.4}},
                  {"id": "ams", "region": "eu", "cost": {"perHour": 0, "perMillionRequests": 0.5}}]}""");
        assertEquals(0.9, c.sites().getFirst().cost().perHour());
        assertEquals(0.5, c.coreConfig().pops().get(1).cost().perMillionRequests());
        ScenarioValidationException partial = assertThrows(ScenarioValidationException.class, () -> parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [
                  {"id": "fra", "region": "eu", "cost": {"perHour": 0.9, "perMillionRequests": 0.4}},
                  {"id": "ams", "region": "eu"}]}"""));
        assertTrue(partial.errors().stream().anyMatch(e -> e.path().equals("$.pops[1].cost")
                && e.message().startsWith("PoP 'ams' has no cost, but fra do")), partial.getMessage());
        ScenarioValidationException negative = assertThrows(ScenarioValidationException.class, () -> parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [
                  {"id": "fra", "region": "eu", "cost": {"perHour": 0.9, "perMillionRequests": -1}}]}"""));
        assertTrue(negative.errors().stream().anyMatch(e -> e.path().equals("$.pops[0].cost.perMillionRequests")),
                negative.getMessage());
        NodeConfig scenario = NodeConfigParser.resolve(Path.of("..", "docs", "scenarios", "cost-storm.json").toString());
        assertEquals(1.6, scenario.sites().get(5).cost().perHour(), "nrt, from the scenario");
    }

    @Test
    void aScenarioIsANodeConfigToo() throws Exception {
        NodeConfig byName = NodeConfigParser.resolve("steady-show");
        assertEquals("steady-show", byName.show().name());
        assertEquals(byName.show().pops().getFirst().id(), byName.defaultPop());
        byte[] file = Files.readAllBytes(Path.of("src", "main", "resources", "io", "edgedeck", "simulator", "scenarios",
                "pop-outage.json"));
        NodeConfig byFile = NodeConfigParser.parse(file);
        assertEquals("pop-outage", byFile.show().name());
        assertEquals(ScenarioCatalog.load("pop-outage").guardrails(), byFile.show().guardrails());
    }

    /** A lone surrogate would be journaled and shown as another text: refused at its place, as the API refuses it. */
    @Test
    void aLoneSurrogateInAnyTextIsRefusedAtItsPlace() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "description": "drop \\ud83d\\ude80",
                 "pops": [{"id": "fra", "region": "eu"}],
                 "flags": [{"key": "banner", "owner": "g\\ud800", "control": "off",
                            "variants": [{"name": "off", "weight": 50}, {"name": "on", "weight": 50}]}]}"""));
        assertEquals(1, e.errors().size(), e.getMessage());
        assertEquals("$.flags[0].owner", e.errors().getFirst().path());
        assertEquals(3, e.errors().getFirst().line());
        assertTrue(e.errors().getFirst().message().startsWith("must not contain an unpaired surrogate (U+D800 at character 2)"),
                e.getMessage());
    }

    @Test
    void connectorsAreReadWithTheNodeConfig() {
        NodeConfig c = parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}],
                 "connectors": {"twitch": [{"channel": "somechannel"}]}}""");
        assertEquals("somechannel", c.connectors().twitch().getFirst().channel());
        assertNull(c.connectors().obs());
        assertTrue(parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}]}""")
                .connectors().isEmpty());
    }

    @Test
    void errorsNameThePathAndLine() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse("""
                {
                  "$schema": "https://edgedeck.io/schema/node-config-v1.json",
                  "name": "n",
                  "pops": [
                    {"id": "fra", "region": "eu", "slo": {"p95Ms": -1}},
                    {"id": "fra", "region": "eu", "probe": "ftp://x"}
                  ],
                  "flags": [{"key": "f", "variants": [{"name": "a", "weight": 50}], "control": "a"}],
                  "ingest": {"maxBatchEvents": 0},
                  "audience": {}
                }"""));
        String all = e.errors().toString();
        assertTrue(all.contains("line 5, $.pops[0].slo.p95Ms: must be greater than 0"), all);
        assertTrue(all.contains("line 6, $.pops[1].probe"), all);
        assertTrue(all.contains("line 8, $.flags[0].variants: must have between 2 and 20 items"), all);
        assertTrue(all.contains("line 9, $.ingest.maxBatchEvents"), all);
        assertTrue(all.contains("$.audience: unknown field 'audience'"), all);
    }

    @Test
    void crossChecksNameThePathAndLineToo() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse("""
                {
                  "$schema": "https://edgedeck.io/schema/node-config-v1.json",
                  "name": "n",
                  "defaultPop": "lhr",
                  "pops": [{"id": "fra", "region": "eu"}, {"id": "fra", "region": "eu"}],
                  "flags": [{"key": "f", "variants": [{"name": "a", "weight": 50}, {"name": "b", "weight": 50}], "control": "c"}]
                }"""));
        String all = e.errors().toString();
        assertTrue(all.contains("line 5, $.pops[1].id: duplicate PoP id 'fra'"), all);
        assertTrue(all.contains("line 6, $.flags[0].control"), all);
        assertTrue(all.contains("line 4, $.defaultPop: unknown PoP 'lhr'"), all);
        // the schema's missing owner, said once, with the cross-checks' errors
        assertTrue(all.contains("line 6, $.flags[0].owner: required field is missing"), all);
        assertEquals(1, e.errors().stream().filter(err -> err.toString().contains("owner")).count(), all);

        ScenarioValidationException blank = assertThrows(ScenarioValidationException.class, () -> parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}],
                 "flags": [{"key": "f", "owner": " ", "variants": [{"name": "a", "weight": 50}, {"name": "b", "weight": 50}], "control": "a"}]}"""));
        assertTrue(blank.errors().toString().contains("$.flags[0]: owner is required"), blank.errors().toString());
    }

    @Test
    void approvalLanesAreReadAndAMomentNeedsExactlyOneTime() throws Exception {
        Approvals a = parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}],
                 "approvals": {"variantAbovePercent": 25, "unkill": true,
                               "beforeDrop": {"cue": "drop", "at": "2026-12-02T21:00:00Z", "minutes": 10}}}""").show().approvals();
        assertEquals(new Approvals(25.0, true, false, new Approvals.BeforeDrop("drop", null, "2026-12-02T21:00:00Z", 10)), a);
        long drop = java.time.Instant.parse("2026-12-02T21:00:00Z").toEpochMilli();
        assertTrue(a.beforeDrop().covers(0, drop - 10 * 60_000L) && a.beforeDrop().covers(0, drop - 1));
        assertTrue(!a.beforeDrop().covers(0, drop - 10 * 60_000L - 1) && !a.beforeDrop().covers(0, drop), "from 10 minutes before, up to the moment");
        assertEquals(Approvals.NONE, NodeConfigParser.resolve("steady-show").show().approvals(), "no lanes unless the show names them");

        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse("""
                {
                  "$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}],
                  "approvals": {"variantAbovePercent": 120, "unkil": true,
                    "beforeDrop": {"cue": "drop", "atSeconds": 600, "at": "2026-12-02T21:00:00Z", "minutes": 10}}
                }"""));
        String all = e.errors().toString();
        assertTrue(all.contains("$.approvals.variantAbovePercent"), all);
        assertTrue(all.contains("$.approvals.unkil: unknown field 'unkil'; did you mean 'unkill'?"), all);
        ScenarioValidationException both = assertThrows(ScenarioValidationException.class, () -> parse("""
                {
                  "$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n", "pops": [{"id": "fra", "region": "eu"}],
                  "approvals": {"beforeDrop": {"cue": "drop", "atSeconds": 600, "at": "2026-12-02T21:00:00Z", "minutes": 10}}
                }"""));
        assertTrue(both.errors().toString().contains("line 3, $.approvals.beforeDrop: give exactly one of atSeconds"), both.errors().toString());
    }

    private static final String PLAYBOOK_SHOW = """
            {
              "$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "n",
              "pops": [{"id": "fra", "region": "eu"}, {"id": "ams", "region": "eu"}],
              "flags": [{"key": "checkout-button", "description": "", "owner": "growth", "control": "control",
                         "variants": [{"name": "control", "weight": 50}, {"name": "treatment", "weight": 50}]}],
              "guardrails": [{"id": "sentiment-guard", "flag": "checkout-button", "variant": "treatment", "match": "all",
                              "conditions": [{"metric": "sentimentChange", "op": "<", "value": -0.15}],
                              "windowSeconds": 120, "minExposures": 300, "cooldownSeconds": 120, "action": "rollback"}],
              "playbooks": [
                %s
              ]
            }""";

    @Test
    void playbooksAreReadWithWeightsInPercentAndTheirReferencesChecked() {
        var playbooks = parse(PLAYBOOK_SHOW.formatted("""
                {"id": "stop-the-bleed", "onGuardrail": "sentiment-guard", "actions": [
                   {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra", "ams"]},
                   {"type": "disarm", "guardrail": "sentiment-guard"}]},
                {"id": "ramp", "actions": [{"type": "change", "flag": "checkout-button",
                   "variants": [{"name": "control", "weight": 20}, {"name": "treatment", "weight": 80}]}]}""")).show().playbooks();
        assertEquals(2, playbooks.size());
        var ramp = playbooks.get(1).toPlaybook();
        assertEquals(8000, ramp.actions().getFirst().variants().get(1).weight(), "percent in the file, basis points on the wire");
        assertEquals("config", ramp.createdBy());
        assertEquals("sentiment-guard", playbooks.getFirst().onGuardrail());

        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse(PLAYBOOK_SHOW.formatted("""
                {"id": "bad", "onGuardrail": "no-guard", "actions": [
                   {"type": "rollback", "flag": "checkout-button", "variant": "control", "pops": ["fra", "lhr"]},
                   {"type": "kill", "flag": "checkout-button"},
                   {"type": "arm"},
                   {"type": "change", "flag": "checkout-buton", "variants": [{"name": "control", "weight": 10}]},
                   {"type": "explode", "flag": "checkout-button"}]},
                {"id": "bad", "actions": [{"type": "change", "flag": "checkout-button",
                   "variants": [{"name": "control", "weight": 10}, {"name": "bold", "weight": 10}]}]}""")));
        String all = e.errors().toString();
        assertTrue(all.contains("$.playbooks[0].actions[4].type"), all);
        ScenarioValidationException refs = assertThrows(ScenarioValidationException.class, () -> parse(PLAYBOOK_SHOW.formatted("""
                {"id": "bad", "onGuardrail": "no-guard", "actions": [
                   {"type": "rollback", "flag": "checkout-button", "variant": "control", "pops": ["fra", "lhr"]},
                   {"type": "kill", "flag": "checkout-button"},
                   {"type": "arm"},
                   {"type": "change", "flag": "checkout-buton", "variants": [{"name": "control", "weight": 10}]}]},
                {"id": "bad", "actions": [{"type": "change", "flag": "checkout-button",
                   "variants": [{"name": "control", "weight": 10}, {"name": "bold", "weight": 10}]}]}""")));
        String found = refs.errors().toString();
        for (String expected : List.of(
                "line 10, $.playbooks[0].onGuardrail: unknown guardrail 'no-guard'",
                "line 11, $.playbooks[0].actions[0].variant: 'control' is the control of flag 'checkout-button'",
                "line 11, $.playbooks[0].actions[0].pops[1]: unknown PoP 'lhr'",
                "line 12, $.playbooks[0].actions[1].flag: flag 'checkout-button' is already changed by $.playbooks[0].actions[0]",
                "line 13, $.playbooks[0].actions[2].guardrail: a arm action names its guardrail",
                "line 14, $.playbooks[0].actions[3].flag: unknown flag 'checkout-buton'; did you mean 'checkout-button'?",
                "line 15, $.playbooks[1].id: duplicate playbook id 'bad'",
                "$.playbooks[1].actions[0].variants[1].name: flag 'checkout-button' has no variant 'bold'",
                "$.playbooks[1].actions[0].variants: variant weights must sum to 100, they sum to 20")) {
            assertTrue(found.contains(expected), expected + " in " + found);
        }
    }

    /** A node of a fleet lists the fleet's PoPs: its playbooks may roll back at another node's; a PoP of no node is still refused. */
    @Test
    void aPlaybookMayRollBackAtAPopTheFleetPopsList() {
        String fleet = PLAYBOOK_SHOW.replace("\"name\": \"n\",", "\"name\": \"n\", \"fleetPops\": [\"fra\", \"ams\", \"lhr\"],");
        String atLhr = """
                {"id": "europe", "actions": [
                   {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra", "lhr"]}]}""";
        NodeConfig node = parse(fleet.formatted(atLhr));
        assertEquals(List.of("lhr"), node.fleetPops(), "the PoPs other nodes serve");
        assertEquals(List.of("fra", "lhr"), node.show().playbooks().getFirst().toPlaybook().actions().getFirst().pops());
        String alone = assertThrows(ScenarioValidationException.class, () -> parse(PLAYBOOK_SHOW.formatted(atLhr))).errors().toString();
        assertTrue(alone.contains("$.playbooks[0].actions[0].pops[1]: unknown PoP 'lhr'"), alone);
        String nowhere = assertThrows(ScenarioValidationException.class, () -> parse(fleet.formatted(atLhr.replace("lhr", "nrt"))))
                .errors().toString();
        assertTrue(nowhere.contains("$.playbooks[0].actions[0].pops[1]: unknown PoP 'nrt'"), nowhere);
    }

    @Test
    void aPlaybookActionWithAFieldOfAnotherTypeOrAPoPTwiceIsRefusedAtLoadAsTheApiRefusesIt() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse(PLAYBOOK_SHOW.formatted("""
                {"id": "stray", "actions": [
                   {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "guardrail": "sentiment-guard"},
                   {"type": "disarm", "guardrail": "sentiment-guard", "pops": ["fra"]}]},
                {"id": "twice", "actions": [
                   {"type": "rollback", "flag": "checkout-button", "variant": "treatment", "pops": ["fra", "ams", "fra"]}]}""")));
        String found = e.errors().toString();
        for (String expected : List.of(
                "line 11, $.playbooks[0].actions[0].guardrail: a rollback action takes flag, variant, pops, not guardrail",
                "line 12, $.playbooks[0].actions[1].pops: a disarm action takes guardrail, not pops",
                "$.playbooks[1].actions[0].pops[2]: PoP 'fra' is named twice; name each PoP once")) {
            assertTrue(found.contains(expected), expected + " in " + found);
        }
    }

    @Test
    void aPlaybookChangeThatLeavesOutAWatchedVariantIsRefusedAtLoad() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse(PLAYBOOK_SHOW.formatted("""
                {"id": "control-only", "actions": [{"type": "change", "flag": "checkout-button",
                   "variants": [{"name": "control", "weight": 100}]}]}""")));
        String found = e.errors().toString();
        assertTrue(found.contains("$.playbooks[0].actions[0].variants: leaves out variant 'treatment' of flag 'checkout-button',"
                + " which guardrail sentiment-guard watches"), found);
        assertEquals(1, parse(PLAYBOOK_SHOW.formatted("""
                {"id": "treatment-off", "actions": [{"type": "change", "flag": "checkout-button",
                   "variants": [{"name": "control", "weight": 100}, {"name": "treatment", "weight": 0}]}]}""")).show().playbooks().size());
    }

    @Test
    void aPlaybookChangeThatLeavesOutAGuardedFlagsControlIsRefusedAtLoad() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse(PLAYBOOK_SHOW.formatted("""
                {"id": "rename-control", "actions": [{"type": "change", "flag": "checkout-button",
                   "variants": [{"name": "baseline", "weight": 50}, {"name": "treatment", "weight": 50}]}]}""")));
        String found = e.errors().toString();
        assertTrue(found.contains("$.playbooks[0].actions[0].variants: leaves out the control 'control' of flag 'checkout-button',"
                + " which guardrail sentiment-guard compares variant 'treatment' with"), found);
    }
}
