package io.edgedeck.simulator.scenario;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.edge.LatencyDistribution;
import io.edgedeck.simulator.edge.PopSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioParserTest {

    @Test
    void readsEveryPartOfAScenario() {
        Scenario s = ScenarioParser.parseText(TinyScenario.text());

        assertEquals("tiny", s.name());
        assertEquals(7, s.seed());
        assertEquals(Scenario.DEFAULT_FRAME_MILLIS, s.frameMillis());
        PopSpec fra = s.pops().getFirst();
        assertEquals(120, fra.propagationDelayMillis());
        assertEquals(LatencyDistribution.PARETONORMAL, fra.latency().distribution());
        assertEquals(0.001, fra.latency().loss());
        PopSpec ams = s.pops().get(1);
        assertEquals(0, ams.propagationDelayMillis());
        assertEquals(0, ams.latency().jitterMs());
        assertEquals(List.of("iad", "fra"), s.regions().get(1).pops());
        assertEquals(List.of("main", "acme"), s.audience().tenants());
        FlagSpec flag = s.flags().getFirst();
        assertEquals("checkout-button", flag.salt());
        assertInstanceOf(FlagScope.Global.class, flag.scope());
        assertEquals(1.1, flag.effectOf("treatment").conversionMultiplier());
        assertEquals(FlagSpec.VariantEffect.NONE, flag.effectOf("control"));
        TriggerSpec trigger = s.triggers().getFirst();
        assertEquals(List.of(EventKind.CLICK, EventKind.CLICK, EventKind.CLICK), trigger.kinds());
        assertEquals(TriggerSpec.Action.SURFACE_CHECKOUT, trigger.action());
        GuardrailSpec guard = s.guardrails().getFirst();
        assertEquals(RuleMatch.ALL, guard.match());
        assertTrue(guard.armed());
        assertEquals(0, guard.cooldownSeconds());
        assertEquals(new GuardrailSpec.Condition(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15),
                guard.conditions().getFirst());
        assertEquals(new Cue.PopOutage(300, "fra", 120), s.cues().getFirst());
        Cue.SentimentShift shift = assertInstanceOf(Cue.SentimentShift.class, s.cues().get(1));
        assertEquals(600 - 240, shift.durationSeconds(), "an open-ended shift lasts to the end of the show");
        assertEquals(List.of(240, 300), s.timeline().stream().map(Cue::atSeconds).toList());
    }

    @Test
    void scopesReadAsTheirKind() {
        FlagSpec tenant = ScenarioParser.parseText(TinyScenario.with("\"scope\": \"global\"", "\"scope\": \"tenant:acme\""))
                .flags().getFirst();
        assertEquals(new FlagScope.Tenant("acme"), tenant.scope());
        FlagSpec pop = ScenarioParser.parseText(TinyScenario.with("\"scope\": \"global\"", "\"scope\": \"pop:iad\""))
                .flags().getFirst();
        assertEquals(new FlagScope.Pop("iad"), pop.scope());
    }

    @Test
    void weightsBecomeBasisPointsSummingTo10000() {
        String text = TinyScenario.with("[{\"name\": \"control\", \"weight\": 50}, {\"name\": \"treatment\", \"weight\": 50}]",
                "[{\"name\": \"control\", \"weight\": 33.34}, {\"name\": \"treatment\", \"weight\": 33.33}, {\"name\": \"b\", \"weight\": 33.33}]");
        int[] points = ScenarioParser.parseText(text).flags().getFirst().weightsBasisPoints();
        assertEquals(List.of(3334, 3333, 3333), java.util.Arrays.stream(points).boxed().toList());
    }

    @Test
    void arrivalRateRampsThroughStagesThenHolds() {
        Audience audience = ScenarioParser.parseText(TinyScenario.with(
                "\"stages\": [{\"durationSeconds\": 60, \"target\": 200}]",
                "\"stages\": [{\"durationSeconds\": 60, \"target\": 200}, {\"durationSeconds\": 100, \"target\": 100}]")).audience();
        assertEquals(20, audience.arrivalRateAt(0), 1e-9);
        assertEquals(110, audience.arrivalRateAt(30), 1e-9);
        assertEquals(200, audience.arrivalRateAt(60), 1e-9);
        assertEquals(150, audience.arrivalRateAt(110), 1e-9);
        assertEquals(100, audience.arrivalRateAt(500), 1e-9);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # case                  | find                                   | replacement                                        | path                               | line | message fragment
            loss above 1            | "loss": 0.001                          | "loss": 1.5                                        | $.pops[0].latency.loss             | 8    | must be between 0 and 1, was 1.5
            typo in a field         | "capacityRps": 3000, "latency": {"baseMs": 16 | "capactyRps": 3000, "latency": {"baseMs": 16 | $.pops[1].capactyRps               | 9    | unknown field 'capactyRps'; did you mean 'capacityRps'?
            missing field           | "capacityRps": 3000, "latency": {"baseMs": 16 | "latency": {"baseMs": 16                     | $.pops[1].capacityRps              | 9    | required field is missing
            unknown field far off   | "seed": 7,                             | "seed": 7, "colour": "red",                        | $.colour                           | 4    | unknown field 'colour'; expected one of $schema, name
            wrong type              | "seed": 7                              | "seed": "seven"                                    | $.seed                             | 4    | must be an integer, was a string "seven"
            fraction for integer    | "seed": 7                              | "seed": 7.5                                        | $.seed                             | 4    | must be an integer, was 7.5
            seed overflows a long   | "seed": 7                              | "seed": 9223372036854775808                        | $.seed                             | 4    | must be between -9223372036854775808 and 9223372036854775807
            missing name            | "name": "tiny",                        | ``                                                 | $.name                             | 1    | required field is missing
            negative rate           | "startRate": 20                        | "startRate": -5                                    | $.audience.startRate               | 18   | must be between 0 and 1000000, was -5
            huge number             | "durationSeconds": 600                 | "durationSeconds": 1e400                           | $.durationSeconds                  | 5    | must be between 1 and 86400, was 1E+400
            cue longer than a day   | "durationSeconds": 120}                | "durationSeconds": 90000}                          | $.cues[0].durationSeconds          | 38   | must be between 1 and 86400, was 90000
            correlation of 1        | "correlation": 0.25                    | "correlation": 1                                   | $.pops[0].latency.correlation      | 8    | at least 0 and less than 1, was 1
            zero capacity           | "capacityRps": 4000                    | "capacityRps": 0                                   | $.pops[0].capacityRps              | 7    | greater than 0 and at most 10000000
            bad id                  | "id": "iad"                            | "id": "IAD 1"                                      | $.pops[2].id                       | 10   | must be a lowercase id
            unknown distribution    | "distribution": "normal"               | "distribution": "gaussian"                         | $.pops[1].latency.distribution     | 9    | must be one of normal, lognormal, pareto, paretonormal; was a string "gaussian"
            unknown cue type        | "type": "pop-outage"                   | "type": "pop-outtage"                              | $.cues[0].type                     | 38   | did you mean 'pop-outage'?
            field of another cue    | "pop": "fra", "durationSeconds": 120   | "pops": ["fra"], "durationSeconds": 120            | $.cues[0].pops                     | 38   | unknown field 'pops'; did you mean 'pop'?
            wrong schema version    | scenario-v1.json                       | scenario-v2.json                                   | $.$schema                          | 2    | must be "https://edgedeck.io/schema/scenario-v1.json"
            duplicate json field    | "seed": 7,                             | "seed": 7, "seed": 8,                              | $.seed                             | 4    | duplicate field 'seed'
            duplicate pop id        | "id": "ams"                            | "id": "fra"                                        | $.pops[1].id                       | 9    | duplicate PoP id 'fra' (also $.pops[0])
            duplicate variant       | {"name": "treatment", "weight": 50}    | {"name": "control", "weight": 50}                  | $.flags[0].variants[1].name        | 25   | duplicate variant name 'control'
            duplicate flag key      | "effects": {"treatment": {"conversionMultiplier": 1.1, "chatMood": {"positive": 0.4, "neutral": 0.4, "negative": 0.2}}}} | "effects": {}}, {"key": "checkout-button", "owner": "t", "variants": [{"name": "a", "weight": 100}, {"name": "b", "weight": 0}], "control": "a"} | $.flags[1].key | 27 | duplicate flag key 'checkout-button'
            region names unknown pop | ["iad", "fra"]                        | ["iad", "frx"]                                     | $.regions[1].pops[1]               | 14   | unknown PoP 'frx'; did you mean 'fra'?
            pop in unknown region   | "region": "na"                         | "region": "sa"                                     | $.pops[2].region                   | 10   | unknown region 'sa'
            shares do not sum to 1  | "share": 0.4                           | "share": 0.3                                       | $.regions                          | 12   | region shares must sum to 1, they sum to 0.9
            chat mix off            | "negative": 0.15}                      | "negative": 0.25}                                  | $.audience.chat                    | 22   | must sum to 1, they sum to 1.1
            effect mood off         | "negative": 0.2}                       | "negative": 0.3}                                   | $.flags[0].effects.treatment.chatMood | 27 | must sum to 1, they sum to 1.1
            weights short of 100    | {"name": "treatment", "weight": 50}    | {"name": "treatment", "weight": 45.5}              | $.flags[0].variants                | 25   | variant weights must sum to 100, they sum to 95.5
            weight with 3 decimals  | {"name": "control", "weight": 50}      | {"name": "control", "weight": 49.995}              | $.flags[0].variants[0].weight      | 25   | must be a multiple of 0.01 (at most 2 decimals), was 49.995
            flag without an owner   | , "owner": "checkout-team",            | ,                                                  | $.flags[0].owner                   | 25   | required field is missing
            blank owner             | "owner": "checkout-team"               | "owner": " "                                       | $.flags[0]                         | 25   | owner is required
            control not a variant   | "control": "control", "scope"          | "control": "baseline", "scope"                     | $.flags[0].control                 | 26   | unknown variant 'baseline'
            scope unknown region    | "scope": "global"                      | "scope": "region:apac"                             | $.flags[0].scope                   | 26   | unknown region 'apac'; known: eu, na
            scope unknown pop       | "scope": "global"                      | "scope": "pop:sfo"                                 | $.flags[0].scope                   | 26   | unknown PoP 'sfo'
            scope unknown tenant    | "scope": "global"                      | "scope": "tenant:acne"                             | $.flags[0].scope                   | 26   | unknown tenant 'acne'; did you mean 'acme'?
            malformed scope         | "scope": "global"                      | "scope": "planet:earth"                            | $.flags[0].scope                   | 26   | must be global, region:ID, pop:ID or tenant:ID
            effect of no variant    | "effects": {"treatment"                | "effects": {"treatmint"                            | $.flags[0].effects.treatmint       | 27   | unknown variant 'treatmint'; did you mean 'treatment'?
            ordered count mismatch  | "count": 3, "withinSeconds": 20,       | "count": 2, "withinSeconds": 20, "ordered": true,  | $.triggers[0].count                | 30   | count must be 3 (the number of kinds), was 2
            unknown trigger kind    | "kinds": ["click", "click", "click"]   | "kinds": ["click", "clik"]                         | $.triggers[0].kinds[1]             | 30   | did you mean 'click'?
            guardrail unknown flag  | "flag": "checkout-button", "variant": "treatment",~     "conditions" | `"flag": "checkout-btn", "variant": "treatment",~     "conditions"` | $.guardrails[0].flag | 33 | unknown flag 'checkout-btn'
            guardrail unknown variant | "variant": "treatment",~     "conditions" | `"variant": "treatmnt",~     "conditions"`      | $.guardrails[0].variant            | 33   | flag 'checkout-button' has no variant 'treatmnt'; its variants are control, treatment; did you mean 'treatment'?
            guardrail on control    | "variant": "treatment",~     "conditions" | `"variant": "control",~     "conditions"`       | $.guardrails[0].variant            | 33   | is the control of flag 'checkout-button'
            guardrail bad op        | "op": "<", "value": -0.15              | "op": "=<", "value": -0.15                         | $.guardrails[0].conditions[0].op   | 34   | must be one of <, <=, >, >=
            baseline ratio at 1     | "metric": "sentimentChange", "op": "<", "value": -0.15 | "metric": "p95VsBaseline", "op": ">", "value": 1 | $.guardrails[0].conditions[0].value | 34 | p95VsBaseline is the p95 over the PoPs' normal p95 (1.5 = half as slow again), so its threshold must be above 1, was 1
            unknown metric          | "metric": "sentimentChange", "op": "<"  | "metric": "p95VsBaselin", "op": "<"               | $.guardrails[0].conditions[0].metric | 34 | did you mean 'p95VsBaseline'?
            cue unknown pop         | "pop": "fra"                           | "pop": "lhr"                                       | $.cues[0].pop                      | 38   | unknown PoP 'lhr'
            cue unknown flag        | "flag": "checkout-button", "variant": "treatment",~     "chatMood" | `"flag": "checkout", "variant": "treatment",~     "chatMood"` | $.cues[1].flag | 39 | unknown flag 'checkout'
            cue unknown variant     | "variant": "treatment",~     "chatMood" | `"variant": "treatmnt",~     "chatMood"`        | $.cues[1].variant                  | 39   | has no variant 'treatmnt'
            cue after the show      | "atSeconds": 300                       | "atSeconds": 600                                   | $.cues[0].atSeconds                | 38   | starts at 600 s, after the show ends at 600 s
            too few pops            | `    {"id": "ams", "region": "eu", "capacityRps": 3000, "latency": {"baseMs": 16, "distribution": "normal"}},~` | `` | $.pops | 6 | must have between 3 and 48 items, has 2
            not json                | "seed": 7,                             | "seed": 7,,                                        | $                                  | 4    | not valid JSON
            content after the end   | `  ]~}`                                 | `  ]~} {}`                                          | $                                  | 42   | unexpected content after the end
            """)
    void namesPathLineAndProblem(String name, String find, String replacement, String path, int line, String fragment) {
        // "~" stands for a line break, which a CSV row cannot hold.
        String document = TinyScenario.with(find.replace("~", "\n"), replacement.replace("~", "\n"));

        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(document));

        assertTrue(e.errors().stream().anyMatch(err -> err.path().equals(path) && err.line() == line && err.message().contains(fragment)),
                () -> "expected " + path + " at line " + line + " saying '" + fragment + "', got:\n" + e.getMessage());
    }

    @Test
    void collectsEveryErrorNotJustTheFirst() {
        String text = TinyScenario.text()
                .replace("\"loss\": 0.001", "\"loss\": 1.5")
                .replace("\"startRate\": 20", "\"startRate\": -1")
                .replace("\"pop\": \"fra\"", "\"pop\": \"zzz\"");
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(text));
        // Two schema errors, and the cross-check on the rest (the unknown PoP) in the same pass, not one round later.
        assertEquals(List.of("$.pops[0].latency.loss", "$.audience.startRate", "$.cues[0].pop"),
                e.errors().stream().map(ScenarioError::path).toList());

        String crossChecks = TinyScenario.text()
                .replace("\"share\": 0.4", "\"share\": 0.3")
                .replace("\"pop\": \"fra\"", "\"pop\": \"zzz\"")
                .replace("\"scope\": \"global\"", "\"scope\": \"pop:zzz\"");
        ScenarioValidationException all = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(crossChecks));
        assertEquals(List.of("$.regions", "$.flags[0].scope", "$.cues[0].pop"), all.errors().stream().map(ScenarioError::path).toList());
    }

    @Test
    void aMissingOwnerIsSaidOnceWithTheOtherErrors() {
        String text = TinyScenario.text()
                .replace(", \"owner\": \"checkout-team\",", ",")
                .replace("\"startRate\": 20", "\"startRate\": -1")
                .replace("\"pop\": \"fra\"", "\"pop\": \"zzz\"");
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(text));
        // the schema's missing owner, the other schema error and the cross-check, in one pass; the owner once
        assertEquals(List.of("$.audience.startRate", "$.flags[0].owner", "$.cues[0].pop"),
                e.errors().stream().map(ScenarioError::path).toList(), e.getMessage());

        // a missing key names nothing: a guardrail on it would read as on an unknown flag, so nothing more is said
        String keyless = TinyScenario.text().replace("{\"key\": \"checkout-button\", ", "{")
                .replace("\"pop\": \"fra\"", "\"pop\": \"zzz\"");
        ScenarioValidationException k = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(keyless));
        assertEquals(List.of("$.flags[0].key"), k.errors().stream().map(ScenarioError::path).toList(), k.getMessage());
    }

    @Test
    void messageListsOneErrorPerLineWithLineAndPath() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class,
                () -> ScenarioParser.parseText(TinyScenario.text().replace("\"loss\": 0.001", "\"loss\": 1.5")
                        .replace("\"startRate\": 20", "\"startRate\": -1")));
        assertEquals("""
                line 8, $.pops[0].latency.loss: must be between 0 and 1, was 1.5
                line 18, $.audience.startRate: must be between 0 and 1000000, was -1""", e.getMessage());
        assertEquals(8, e.errors().getFirst().line());
        String line8 = TinyScenario.text().lines().toList().get(7);
        assertEquals(line8.indexOf("\"loss\"") + 1, e.errors().getFirst().column());
    }
}
