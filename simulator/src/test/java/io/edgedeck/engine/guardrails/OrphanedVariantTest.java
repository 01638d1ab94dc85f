package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.GuardrailAction;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.RuleMatch;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.flags.FlagCommand;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagInUseException;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.MemoryJournal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flag change that would leave a guardrail watching a variant the flag no longer has (or comparing
 * it with a control that is gone) is refused, naming the rule and the variant, and changes nothing:
 * no version, no journal record, no audit entry. Replaying a recorded change is not refused.
 */
class OrphanedVariantTest {
    private MemoryJournal journal;
    private EdgeCore core;

    @BeforeEach
    void showWithAGuardedBanner() {
        journal = new MemoryJournal();
        GuardrailSpec rule = new GuardrailSpec("banner-guard", "banner", "treatment", RuleMatch.ANY,
                List.of(new GuardrailSpec.Condition(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1)),
                60, 200, 600, GuardrailAction.ROLLBACK, true);
        core = new EdgeCore(TestShows.threePops(5).withGuardrails(List.of(rule)), journal);
        core.experiments().create(new FlagDefinition("banner", "Offer banner", "merch",
                List.of(new Variant("control", 4000), new Variant("treatment", 4000), new Variant("extra", 2000)), "control",
                Scope.GLOBAL, "banner", 0, false, 5), "ana", "A/B", 0);
        core.guardrails().prepare();
    }

    private FlagInUseException refused(FlagUpdate update) {
        int records = journal.records().size();
        int audit = core.experiments().audit().size();
        FlagInUseException e = assertThrows(FlagInUseException.class,
                () -> core.experiments().change("banner", 1, update, "ana", "tidy up", 1000));
        assertEquals(1, core.experiments().registry().get("banner").orElseThrow().version(), "nothing changed");
        assertEquals(records, journal.records().size(), "nothing journaled");
        assertEquals(audit, core.experiments().audit().size(), "nothing audited");
        assertTrue(e.getMessage().contains("banner-guard"), e.getMessage());
        return e;
    }

    @Test
    void removingTheWatchedVariantIsRefusedNamingTheRuleAndVariant() {
        FlagInUseException e = refused(FlagUpdate.weights(List.of(new Variant("control", 8000), new Variant("extra", 2000))));
        assertEquals("variants", e.field());
        assertTrue(e.getMessage().contains("'treatment'"), e.getMessage());
    }

    @Test
    void renamingTheWatchedVariantAwayIsRefused() {
        FlagInUseException e = refused(FlagUpdate.weights(List.of(new Variant("control", 4000),
                new Variant("treatment-v2", 4000), new Variant("extra", 2000))));
        assertTrue(e.getMessage().contains("'treatment'"), e.getMessage());
    }

    @Test
    void removingOrMovingTheControlTheRuleComparesWithIsRefused() {
        FlagInUseException gone = refused(FlagUpdate.weights(List.of(new Variant("baseline", 4000),
                new Variant("treatment", 4000), new Variant("extra", 2000))));
        assertEquals("variants", gone.field());
        assertTrue(gone.getMessage().contains("control 'control'"), gone.getMessage());
        FlagInUseException moved = refused(new FlagUpdate(null, "extra", null, null, null));
        assertEquals("controlVariant", moved.field());
        FlagInUseException watchedIsControl = refused(new FlagUpdate(null, "treatment", null, null, null));
        assertTrue(watchedIsControl.getMessage().contains("makes the control"), watchedIsControl.getMessage());
    }

    @Test
    void checkAndPreviewRefuseItTooSoApprovalLanesPlaybooksAndTheFleetDo() {
        var orphaning = new FlagCommand.Change("banner", 1, FlagUpdate.weights(List.of(new Variant("control", 10000))),
                "ana", "tidy up", 1000);
        var registry = core.experiments().registry();
        assertThrows(FlagInUseException.class, () -> registry.check(orphaning));
        assertThrows(FlagInUseException.class, () -> registry.preview(orphaning));
        registry.checkRecorded(orphaning);
    }

    @Test
    void weightZeroOrDroppingAnUnwatchedVariantStillWorks() {
        core.experiments().change("banner", 1, FlagUpdate.weights(List.of(new Variant("control", 10000),
                new Variant("treatment", 0))), "ana", "stop serving the treatment", 1000);
        FlagDefinition now = core.experiments().registry().get("banner").orElseThrow();
        assertEquals(2, now.version());
        assertEquals(0, now.weightOf("treatment"));
    }

    @Test
    void aRecordedChangeIsReplayedAsItWasNotRefused() {
        // a journal written before the rule existed (or the fleet's agreed change) is taken as it was
        core.experiments().registry().apply(new FlagCommand.Change("banner", 1,
                FlagUpdate.weights(List.of(new Variant("control", 10000))), "ana", "before the rule", 1000));
        assertEquals(2, core.experiments().registry().get("banner").orElseThrow().version());
    }

    @Test
    void aRuleOrphanedByARecordedChangeDoesNotBlockLaterChanges() {
        // a journal written before such changes were refused renamed the watched variant away
        core.experiments().registry().apply(new FlagCommand.Change("banner", 1, FlagUpdate.weights(List.of(
                new Variant("control", 4000), new Variant("bold", 4000), new Variant("extra", 2000))), "ana", "before the rule", 1000));
        FlagDefinition reweighted = core.experiments().change("banner", 2, FlagUpdate.weights(List.of(
                new Variant("control", 5000), new Variant("bold", 3000), new Variant("extra", 2000))), "ana", "ramp down", 2000);
        assertEquals(3, reweighted.version());
    }
}
