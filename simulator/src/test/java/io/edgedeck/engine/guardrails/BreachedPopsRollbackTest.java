package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.MemoryJournal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BreachedPopsRollbackTest {

    /**
     * Three PoPs where the treatment's chat turns sour at fra only, played until the rule fires (or two
     * minutes pass); {@code before} runs once the core is made, before the first second.
     */
    private static EdgeCore sourAtFra(MemoryJournal journal, java.util.function.Consumer<EdgeCore> before) {
        return sourAtFra(journal, GuardrailAction.ROLLBACK_BREACHED_POPS, before);
    }

    private static EdgeCore sourAtFra(MemoryJournal journal, GuardrailAction action, java.util.function.Consumer<EdgeCore> before) {
        CoreConfig base = TestShows.threePops(3);
        GuardrailSpec rule = new GuardrailSpec("local-guard", "banner", "treatment", RuleMatch.ALL,
                List.of(new GuardrailSpec.Condition(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15)),
                60, 200, 600, action, true);
        EdgeCore e = new EdgeCore(base.withGuardrails(List.of(rule)), journal);
        before.accept(e);
        Experiments x = e.experiments();
        x.create(new FlagDefinition("banner", "Offer banner", "merch",
                List.of(new Variant("control", 5000), new Variant("treatment", 5000)), "control", Scope.GLOBAL, "banner", 0, false, 3),
                "ana", "A/B", 0);
        e.guardrails().prepare();
        int control = x.arm("banner", "control", true).id();
        int treatment = x.arm("banner", "treatment", true).id();
        int fra = e.pops().index("fra");
        SplittableRandom r = new SplittableRandom(8);
        for (int second = 0; second < 120 && e.guardrails().firings().isEmpty(); second++) {
            for (int pop = 0; pop < e.pops().count(); pop++) {
                for (int i = 0; i < 10; i++) {
                    x.expose(control, pop, e.nowMillis());
                    x.expose(treatment, pop, e.nowMillis());
                }
                for (int i = 0; i < 20; i++) {
                    x.chat(control, pop, 0.3 + 0.2 * r.nextGaussian());
                    double sour = pop == fra ? -0.4 : 0.3;
                    x.chat(treatment, pop, sour + 0.2 * r.nextGaussian());
                }
            }
            for (int t = 0; t < e.ticksPerSecond(); t++) {
                e.advance();
            }
        }
        return e;
    }

    @Test
    void onlyThePopWhereChatTurnedSourGoesBackToControl() {
        MemoryJournal journal = new MemoryJournal();
        EdgeCore e = sourAtFra(journal, core -> { });
        Experiments x = e.experiments();
        int control = x.arm("banner", "control", true).id();
        int treatment = x.arm("banner", "treatment", true).id();
        int fra = e.pops().index("fra");
        var firings = e.guardrails().firings();
        assertEquals(1, firings.size());
        assertEquals(List.of("fra"), firings.getFirst().pops());
        assertEquals(Map.of("banner/treatment", Set.of("fra")), x.rolledBackAt());
        // A unit that buckets into treatment gets control at fra and still treatment at ams.
        String unit = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "u" + i)
                .filter(u -> x.assign(0, e.pops().index("ams"), u, "eu", "main", -1) == treatment).findFirst().orElseThrow();
        assertEquals(control, x.assign(0, fra, unit, "eu", "main", -1));
        assertEquals(treatment, x.assign(0, e.pops().index("ams"), unit, "eu", "main", -1));
        // A restarted node keeps the local rollback.
        MemoryJournal copy = new MemoryJournal();
        journal.records().forEach(copy::append);
        assertEquals(e.durableState(), new EdgeCore(e.config(), copy).durableState());
    }

    @Test
    void aFleetNodeHandsTheRollbackAtTheBreachedPopsToTheFleetInsteadOfMakingItOnItsOwn() {
        List<String> handed = new java.util.ArrayList<>();
        EdgeCore e = sourAtFra(new MemoryJournal(), core -> core.guardrails().rollbackAtThrough(
                (flag, variant, pops, actor, reason, now) -> handed.add(flag + "/" + variant + " at " + pops + " by " + actor)));
        assertEquals(1, e.guardrails().firings().size(), "the firing is this node's, journaled and audited here");
        assertEquals(List.of("banner/treatment at [fra] by guardrail:local-guard"), handed);
        assertEquals(Map.of(), e.experiments().rolledBackAt(), "the fleet makes the rollback, not this node's own flags");
    }

    @Test
    void aFleetNodeHandsAGuardrailsPauseToTheFleetInsteadOfMakingItOnItsOwn() {
        List<String> handed = new java.util.ArrayList<>();
        EdgeCore e = sourAtFra(new MemoryJournal(), GuardrailAction.PAUSE, core -> core.guardrails().pauseThrough(
                (flag, variant, actor, reason, now) -> handed.add(flag + "/" + variant + " by " + actor)));
        assertEquals(1, e.guardrails().firings().size());
        assertEquals(List.of("banner/treatment by guardrail:local-guard"), handed);
        assertEquals(Map.of(), e.experiments().paused(), "the fleet makes the pause, not this node's own flags");
        EdgeCore alone = sourAtFra(new MemoryJournal(), GuardrailAction.PAUSE, core -> { });
        assertEquals(Map.of("banner", Set.of("treatment")), alone.experiments().paused(), "a node in no fleet pauses it itself");
    }
}
