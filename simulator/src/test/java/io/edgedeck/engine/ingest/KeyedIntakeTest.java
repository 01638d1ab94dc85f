package io.edgedeck.engine.ingest;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.engine.CoreConfig;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.TestShows;
import io.edgedeck.engine.flags.FlagDefinition;
import io.edgedeck.engine.flags.FlagUpdate;
import io.edgedeck.engine.flags.Scope;
import io.edgedeck.engine.flags.Variant;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.sentiment.ChatSentiment;
import io.edgedeck.engine.time.VirtualClock;
import io.edgedeck.engine.triggers.InteractionKind;
import io.edgedeck.engine.triggers.TriggerAction;
import io.edgedeck.engine.triggers.TriggerRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keyed path on a core with no simulator: string ids in, the same core state out. */
class KeyedIntakeTest {
    private static final String BANNER = "banner";
    private static final String BUTTON = "button";

    private final MemoryJournal journal = new MemoryJournal();
    private final VirtualClock clock = new VirtualClock();
    private final EdgeCore core = new EdgeCore(config(), journal);
    private KeyedIntake intake = new KeyedIntake(core, clock, IngestLimits.DEFAULT);
    private int nextId;

    /** A node's core: three PoPs, two A/B flags live everywhere at once, a chat trigger. */
    static CoreConfig config() {
        List<FlagDefinition> flags = List.of(abTest(BANNER), abTest(BUTTON));
        return TestShows.threePops(0).withFlags("node-config", flags)
                .withTriggers(List.of(TriggerRule.atLeast("chatty", 3, 20_000, TriggerAction.PIN_OFFER, InteractionKind.CHAT)));
    }

    private static FlagDefinition abTest(String key) {
        return new FlagDefinition(key, key, "growth", List.of(new Variant("control", 5000), new Variant("treatment", 5000)),
                "control", Scope.GLOBAL, key, 0, false, 0);
    }

    /** Ends ticks until the flags have reached every PoP (the slowest takes 200 ms). */
    private void settle(long millis) {
        clock.advance(millis);
        core.advanceTo(clock);
    }

    private String id() {
        return "e-" + ++nextId;
    }

    /** Limits of the defaults' kind, with room for {@code maxUnits} units of {@code maxArms} variants each. */
    private static IngestLimits bounded(int maxUnits, int maxArms) {
        return new IngestLimits(null, maxUnits, maxArms, 600_000, 1000, 60_000, 256, 2000);
    }

    /**
     * The refusals held for the dedupe window are bounded by their count (1,000 here): within it a refusal sent again
     * counts once; past it the oldest is forgotten before its window has passed, counted so, and sent again counts again.
     */
    @Test
    void pastItsBoundTheOldestRefusalIsForgottenEarlyAndCountedSo() {
        intake = new KeyedIntake(core, clock, bounded(10, 4));
        for (int i = 0; i < 1000; i++) {
            assertTrue(intake.firstRefusal("refusal-" + i, 0));
        }
        assertFalse(intake.firstRefusal("refusal-0", 0), "held: sent again, it counts once");
        assertEquals(0, intake.refusalsForgottenEarly());
        assertTrue(intake.firstRefusal("refusal-1000", 0));
        assertEquals(1, intake.refusalsForgottenEarly(), "the oldest made room for it");
        assertTrue(intake.firstRefusal("refusal-0", 0), "forgotten early, it counts again");
        assertFalse(intake.firstRefusal("refusal-1000", 0));
    }

    /**
     * Refusals arriving at about the rate the bound holds free a slot and fill it again: the node says it holds its
     * window again only once a tenth of the bound is free, so it does not say so, and warn again, every second or two.
     */
    @Test
    void theWindowIsSaidToHoldEveryRefusalAgainOnlyOnceATenthOfItIsFree() {
        intake = new KeyedIntake(core, clock, bounded(10, 4));
        for (int i = 0; i <= 1000; i++) {
            assertTrue(intake.firstRefusal("refusal-" + i, i));
        }
        assertTrue(intake.forgettingRefusals(), "the oldest was forgotten to make room");
        // The window's 600 s later the refusals of ms 1 and 2 expire: one new one leaves a slot free.
        assertTrue(intake.firstRefusal("refusal-next", 600_002));
        assertEquals(1, intake.refusalsForgottenEarly());
        assertTrue(intake.forgettingRefusals(), "one slot free, at a rate that fills it again, is not holding the window");
        // Most have expired: a tenth of the bound is free.
        assertTrue(intake.firstRefusal("refusal-later", 600_200));
        assertFalse(intake.forgettingRefusals(), "a tenth free: it holds every refusal of its window again");
    }

    /**
     * Under a bound of 10, a tenth of it is less than one refusal: the node still says it holds its window again only
     * once a slot stays free after a refusal took its own, not each time one expires and a new one fills its slot.
     */
    @Test
    void aSmallWindowIsSaidToHoldEveryRefusalAgainOnlyOnceASlotStaysFree() {
        intake = new KeyedIntake(core, clock, new IngestLimits(null, 10, 4, 600_000, 5, 60_000, 256, 2000));
        for (int i = 0; i <= 5; i++) {
            assertTrue(intake.firstRefusal("refusal-" + i, i));
        }
        assertTrue(intake.forgettingRefusals(), "the sixth made the oldest be forgotten");
        // The refusal of ms 1 expires and a new one takes its slot: the window is full again.
        assertTrue(intake.firstRefusal("refusal-next", 600_001));
        assertTrue(intake.forgettingRefusals(), "a slot freed and filled again is not holding the window");
        // Those of ms 2 and 3 expire: after this one a slot is still free.
        assertTrue(intake.firstRefusal("refusal-later", 600_003));
        assertFalse(intake.forgettingRefusals(), "a slot free after it: it holds every refusal of its window again");
        assertEquals(1, intake.refusalsForgottenEarly());

        // A bound of 1 cannot keep a slot free past a refusal: one that finds its slot free holds the window again.
        intake = new KeyedIntake(core, clock, new IngestLimits(null, 10, 4, 600_000, 1, 60_000, 256, 2000));
        assertTrue(intake.firstRefusal("only", 0));
        assertTrue(intake.firstRefusal("next", 1));
        assertTrue(intake.forgettingRefusals());
        // Each refusal within the window makes the one before be forgotten: the window is still not holding them.
        assertTrue(intake.firstRefusal("third", 2));
        assertTrue(intake.forgettingRefusals(), "a refusal that made another be forgotten has not found its slot free");
        assertTrue(intake.firstRefusal("fourth", 3));
        assertTrue(intake.forgettingRefusals());
        assertEquals(3, intake.refusalsForgottenEarly());
        assertTrue(intake.firstRefusal("much-later", 600_004));
        assertFalse(intake.forgettingRefusals());
        assertEquals(3, intake.refusalsForgottenEarly());
    }

    /**
     * A refusal is known by a code that stays the same when what its reason says of the node changes between two sends
     * of the same event: a flag's variants changed, the node's PoPs (another node config): the reason a person reads
     * says the node as it is now, and the event counts as refused once.
     */
    @Test
    void theSameEventRefusedAgainAfterTheNodeChangedIsKnownByTheSameCode() {
        IngestEvent ghost = new IngestEvent.Exposure("ghost-1", null, BANNER, "ghost", "viewer-1", "fra");
        IngestOutcome.Refused first = refused(send(ghost), "variant");
        core.experiments().change(BANNER, 1, FlagUpdate.weights(List.of(new Variant("control", 4000), new Variant("treatment", 4000),
                new Variant("third", 2000))), "ana", "a third arm", core.nowMillis());
        settle(1_000);
        IngestOutcome.Refused again = refused(send(ghost), "variant");
        assertFalse(first.reason().equals(again.reason()), "the reason names the variants the flag has now: " + again.reason());
        assertEquals(first.code(), again.code());

        IngestEvent nowhere = new IngestEvent.Latency("lat-nowhere", null, "atlantis", 40.0, null, null, null);
        IngestOutcome.Refused here = refused(send(nowhere), "pop");
        // The same event at a node whose config names a fourth PoP.
        CoreConfig more = CoreConfig.of("test", 0, 250, List.of(io.edgedeck.engine.pops.PopSite.of("fra", "eu", 100),
                io.edgedeck.engine.pops.PopSite.of("ams", "eu", 150), io.edgedeck.engine.pops.PopSite.of("iad", "na", 200),
                io.edgedeck.engine.pops.PopSite.of("sin", "ap", 180)), List.of("eu", "na", "ap"));
        IngestOutcome.Refused there = refused(new KeyedIntake(new EdgeCore(more, new MemoryJournal()), clock,
                IngestLimits.DEFAULT).accept(nowhere, clock.nowMillis()), "pop");
        assertFalse(here.reason().equals(there.reason()), "each names its own PoPs: " + here.reason() + " / " + there.reason());
        assertEquals(here.code(), there.code());
    }

    /** A core started again on a copy of this one's journal, as a node restarting on its data directory. */
    private EdgeCore restartedCore() {
        MemoryJournal copy = new MemoryJournal();
        journal.records().forEach(copy::append);
        return new EdgeCore(config(), copy);
    }

    private IngestOutcome send(IngestEvent e) {
        return intake.accept(e);
    }

    private IngestOutcome expose(String unit, String flag, String variant, String pop) {
        return send(new IngestEvent.Exposure(id(), null, flag, variant, unit, pop));
    }

    private VariantMetrics variant(String flag, String variant) {
        return core.experiments().variantMetrics(core.nowMillis()).stream()
                .filter(v -> v.flag().equals(flag) && v.variant().equals(variant)).findFirst().orElseThrow();
    }

    private static void assertRefused(IngestOutcome outcome, String field) {
        refused(outcome, field);
    }

    private static IngestOutcome.Refused refused(IngestOutcome outcome, String field) {
        IngestOutcome.Refused r = assertInstanceOf(IngestOutcome.Refused.class, outcome, () -> "refused: " + outcome);
        assertEquals(field, r.field(), r.reason());
        return r;
    }

    @Test
    void aUnitCountsOncePerFlagVersionAndAgainWhenANewVersionReachesItsPop() {
        settle(300);
        assertInstanceOf(IngestOutcome.Accepted.class, expose("viewer-1", BANNER, "treatment", "fra"));
        expose("viewer-1", BANNER, "treatment", "fra");
        expose("viewer-1", BANNER, "treatment", "ams");
        expose("viewer-2", BANNER, "treatment", "fra");
        assertEquals(2, variant(BANNER, "treatment").exposures(), "two units, each once in version 1");

        core.experiments().change(BANNER, 1, FlagUpdate.weights(List.of(new Variant("control", 6000), new Variant("treatment", 4000))),
                "ana", "re-weigh", core.nowMillis());
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        assertEquals(3, variant(BANNER, "treatment").exposures(), "version 2 counts viewer-1 again");
        expose("viewer-1", BANNER, "control", "fra");
        assertEquals(0, variant(BANNER, "control").exposures(), "a move to another variant is not a new exposure");
        assertEquals(1, variant(BANNER, "control").movedIn(), "it joins the variant's moved cohort");
        send(new IngestEvent.Conversion(id(), null, "purchase", "viewer-1", 5.0));
        assertEquals(0, variant(BANNER, "treatment").conversions(),
                "a unit moved out of a variant no longer converts for it, as a rehearsal's session does not");
        assertEquals(0, variant(BANNER, "control").conversions());
        assertEquals(1, variant(BANNER, "control").movedConversions(), "it converts for the cohort it was moved into");
    }

    /**
     * A PoP-local rollback of a flag at one PoP changes no assignment at another: a unit there, served the same variant
     * at the same flag version, is not counted again (docs/LIVE.md, "Exposures from OpenFeature": once per unit and flag
     * version), nor is one already in control at the rolled-back PoP, while one in the variant there moves to control.
     */
    @Test
    void aRollbackAtAnotherPopCountsNoUnitOfAnUntouchedPopAgain() {
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        expose("viewer-2", BANNER, "treatment", "ams");
        expose("viewer-3", BANNER, "control", "ams");
        assertEquals(2, variant(BANNER, "treatment").exposures());
        assertEquals(1, variant(BANNER, "control").exposures());

        rollBackTreatmentAtAms();
        expose("viewer-1", BANNER, "treatment", "fra");
        assertEquals(2, variant(BANNER, "treatment").exposures(), "viewer-1 at fra, untouched, is counted once");
        expose("viewer-2", BANNER, "control", "ams");
        assertEquals(1, variant(BANNER, "control").movedIn(), "viewer-2 at ams moves to control");
        expose("viewer-3", BANNER, "control", "ams");
        assertEquals(1, variant(BANNER, "control").exposures(), "viewer-3, in control at ams already, is counted once");
        assertEquals(1, variant(BANNER, "control").movedIn());
    }

    /**
     * Lifting a PoP-local rollback makes no flag version either: a unit the rollback moved to control moves back (a move,
     * not a new exposure), and a unit it never touched is not counted again.
     */
    @Test
    void liftingAPopLocalRollbackMovesItsUnitsBackAndCountsNoOtherAgain() {
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        expose("viewer-2", BANNER, "treatment", "ams");
        rollBackTreatmentAtAms();
        expose("viewer-2", BANNER, "control", "ams");
        assertEquals(1, variant(BANNER, "control").movedIn(), "viewer-2 at ams moves to control");

        core.experiments().clearRollbackAt(BANNER, "treatment", List.of("ams"), "ana", "fixed at ams", core.nowMillis());
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        assertEquals(2, variant(BANNER, "treatment").exposures(), "viewer-1 at fra, untouched, is still counted once");
        expose("viewer-2", BANNER, "treatment", "ams");
        assertEquals(2, variant(BANNER, "treatment").exposures(), "viewer-2 moving back is no new exposure");
        assertEquals(1, variant(BANNER, "treatment").movedIn(), "it moves back into treatment");
        assertEquals(0, variant(BANNER, "control").exposures());
    }

    /** Rolls the banner's treatment back at ams only, and lets that reach the PoP. */
    private void rollBackTreatmentAtAms() {
        core.experiments().rollbackAt(BANNER, "treatment", List.of("ams"), "ana", "sour at ams", core.nowMillis());
        settle(300);
    }

    /**
     * Each arm says the show time of its newest exposure, so a console that connects after the traffic stopped can say
     * how long the arm has been quiet; a node started again on its journal says the same, from each exposure's arrival.
     */
    @Test
    void eachArmSaysWhenItsNewestExposureCame() {
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        settle(5_000);
        expose("viewer-2", BANNER, "treatment", "ams");
        long newest = core.nowMillis();
        long arrival = clock.nowMillis();
        settle(60_000);
        expose("viewer-2", BANNER, "treatment", "ams");
        assertEquals(newest, variant(BANNER, "treatment").lastExposureMillis(), "a unit counted once does not count again");
        assertEquals(null, variant(BANNER, "control").lastExposureMillis(), "no exposure yet");
        var frame = core.frame(io.edgedeck.client.model.ShowState.RUNNING, 1, 0);
        assertEquals(newest, frame.variants().stream().filter(v -> v.variant().equals("treatment")).findFirst().orElseThrow()
                .lastExposureMillis(), "the frame says it");

        EdgeCore restarted = restartedCore();
        restarted.advanceTo(clock);
        KeyedIntake after = new KeyedIntake(restarted, clock, IngestLimits.DEFAULT);
        after.acceptReplayed(new IngestEvent.Exposure("e-again", null, BANNER, "treatment", "viewer-2", "ams"), arrival);
        assertEquals(newest, restarted.experiments().variantMetrics(restarted.nowMillis()).stream()
                .filter(v -> v.variant().equals("treatment")).findFirst().orElseThrow().lastExposureMillis(),
                "fed back at its arrival, not at the restart");
    }

    @Test
    void anExposureFromAPopOutsideTheFlagsRegionCountsInNeitherArm() {
        core.experiments().change(BANNER, 1, FlagUpdate.scope(new Scope.Region("eu")), "ana", "eu only", core.nowMillis());
        settle(300);
        assertInstanceOf(IngestOutcome.Accepted.class, expose("viewer-na", BANNER, "control", "iad"));
        expose("viewer-eu", BANNER, "control", "fra");
        assertEquals(1, variant(BANNER, "control").exposures(), "iad is in na: its viewer is not in the experiment");
        send(new IngestEvent.Conversion(id(), null, "purchase", "viewer-na", null));
        assertEquals(0, variant(BANNER, "control").conversions(), "nor are its checkouts");
        send(new IngestEvent.Conversion(id(), null, "purchase", "viewer-eu", null));
        assertEquals(1, variant(BANNER, "control").conversions());
    }

    @Test
    void aConversionCountsForEveryVariantItsUnitWasExposedToWithItsValue() {
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        expose("viewer-1", BUTTON, "control", "fra");
        expose("viewer-2", BANNER, "control", "iad");
        send(new IngestEvent.Conversion(id(), null, "purchase", "viewer-1", 19.99));
        send(new IngestEvent.Conversion(id(), null, "purchase", "viewer-1", null));
        assertEquals(2, variant(BANNER, "treatment").conversions());
        assertEquals(2, variant(BUTTON, "control").conversions());
        assertEquals(0, variant(BANNER, "control").conversions());
        assertEquals(19.99, variant(BANNER, "treatment").conversionValue(), 1e-9);

        IngestOutcome stranger = send(new IngestEvent.Conversion(id(), null, "purchase", "never-exposed", 5.0));
        assertInstanceOf(IngestOutcome.Accepted.class, stranger, "a unit never exposed converts for no variant");
        assertEquals(2, variant(BANNER, "treatment").conversions());
        assertRefused(send(new IngestEvent.Conversion(id(), null, "purchase", "viewer-1", -1.0)), "value");
        assertRefused(send(new IngestEvent.Conversion(id(), null, "purchase", null, 1.0)), "targetingKey");
        assertRefused(send(new IngestEvent.Conversion(id(), null, " ", "viewer-1", 1.0)), "name");
    }

    @Test
    void aResentEventCountsOnceWithinTheWindowAndARefusedIdStaysFree() {
        settle(300);
        IngestEvent first = new IngestEvent.Latency("lat-1", null, "fra", 40.0, null, null, null);
        assertInstanceOf(IngestOutcome.Accepted.class, send(first));
        assertInstanceOf(IngestOutcome.Duplicate.class, send(first));
        assertEquals(1, intake.counts().duplicates());

        assertRefused(send(new IngestEvent.Latency("lat-2", null, "zzz", 40.0, null, null, null)), "pop");
        assertInstanceOf(IngestOutcome.Accepted.class, send(new IngestEvent.Latency("lat-2", null, "fra", 40.0, null, null, null)),
                "the corrected event with the refused one's id is taken");

        settle(IngestLimits.DEFAULT.dedupeWindowMillis());
        assertInstanceOf(IngestOutcome.Accepted.class, send(first), "past the window an id is new again");
        core.advance();
        core.advance();
        assertEquals(3, core.pops().metrics(core.pops().index("fra"), 0).requests());
    }

    @Test
    void anEventOlderThanTheDedupeWindowOrFromTheFutureIsRefused() {
        settle(IngestLimits.DEFAULT.dedupeWindowMillis() + 5_000);
        long now = core.nowMillis();
        assertRefused(send(new IngestEvent.Latency(id(), now - IngestLimits.DEFAULT.dedupeWindowMillis() - 1, "fra", 40.0,
                null, null, null)), "at");
        assertRefused(send(new IngestEvent.Latency(id(), now + 120_000, "fra", 40.0, null, null, null)), "at");
        assertInstanceOf(IngestOutcome.Accepted.class, send(new IngestEvent.Latency(id(), now - 1_000, "fra", 40.0, null, null,
                null)));
    }

    @Test
    void anAtInEpochSecondsOrMicrosecondsIsRefusedWithAHint() {
        settle(IngestLimits.DEFAULT.dedupeWindowMillis() + 5_000);
        long now = core.nowMillis();
        for (long at : new long[]{now / 1000, now * 1000}) {
            IngestOutcome.Refused r = assertInstanceOf(IngestOutcome.Refused.class,
                    send(new IngestEvent.Latency(id(), at, "fra", 40.0, null, null, null)), "at " + at);
            assertEquals("at", r.field());
            assertTrue(r.reason().contains("send epoch milliseconds"), r.reason());
        }
        IngestOutcome.Refused old = assertInstanceOf(IngestOutcome.Refused.class, send(new IngestEvent.Latency(id(),
                now - IngestLimits.DEFAULT.dedupeWindowMillis() - 1, "fra", 40.0, null, null, null)));
        assertFalse(old.reason().contains("looks like"), "an at in milliseconds, only too old, gets no hint: " + old.reason());
    }

    static Stream<Arguments> badLatencies() {
        return Stream.of(
                Arguments.of(new IngestEvent.Latency("x", null, "fra", null, null, null, null), "ms"),
                Arguments.of(new IngestEvent.Latency("x", null, "fra", 40.0, true, null, null), "ms"),
                Arguments.of(new IngestEvent.Latency("x", null, "fra", -3.0, null, null, null), "ms"),
                Arguments.of(new IngestEvent.Latency("x", null, "fra", Double.NaN, null, null, null), "ms"),
                Arguments.of(new IngestEvent.Latency("x", null, "fra", 40.0, null, 700, null), "status"),
                Arguments.of(new IngestEvent.Latency("x", null, "fra", 40.0, null, null, "guess"), "source"),
                Arguments.of(new IngestEvent.Latency("x", null, "nowhere", 40.0, null, null, null), "pop"),
                Arguments.of(new IngestEvent.Latency(null, null, "fra", 40.0, null, null, null), "id"),
                Arguments.of(new IngestEvent.Latency("x".repeat(300), null, "fra", 40.0, null, null, null), "id"),
                Arguments.of(new IngestEvent.Exposure("x", null, "nope", "control", "u", "fra"), "flag"),
                Arguments.of(new IngestEvent.Exposure("x", null, BANNER, "purple", "u", "fra"), "variant"),
                Arguments.of(new IngestEvent.Exposure("x", null, BANNER, "control", null, "fra"), "targetingKey"),
                Arguments.of(new IngestEvent.Chat("x", null, " ", null, null, null, null), "text"),
                Arguments.of(new IngestEvent.Chat("x", null, "hi".repeat(1001), null, null, null, null), "text"),
                Arguments.of(new IngestEvent.Chat("x", null, "hi", null, null, null, List.of("")), "emotes"),
                Arguments.of(new IngestEvent.Checkout("x", null, "c-1", "fra", "paid"), "state"),
                Arguments.of(new IngestEvent.Checkout("x", null, null, "fra", "started"), "checkoutId"),
                Arguments.of(new IngestEvent.Checkout("x", null, "c-1", "fra", "authorised", 20.0, null, 30.0), "enrichMs"),
                Arguments.of(new IngestEvent.Checkout("x", null, "c-1", "fra", "authorised", -1.0, 20.0, 30.0), "validateMs"),
                Arguments.of(new IngestEvent.Checkout("x", null, "c-1", "fra", "queued", 20.0, 20.0, 1e9), "actMs"),
                Arguments.of(new IngestEvent.Checkout("x", null, "c-1", "fra", "queued", 20.0, Double.NaN, 3.0), "enrichMs"),
                Arguments.of(new IngestEvent.Checkout("x", null, "c-1", "fra", "started", 20.0, 20.0, 30.0), "state"));
    }

    @ParameterizedTest
    @MethodSource("badLatencies")
    void aBadEventIsRefusedNamingTheFieldAndChangesNothing(IngestEvent bad, String field) {
        settle(300);
        assertRefused(send(bad), field);
        core.advance();
        assertEquals(0, core.pops().metrics(0, 0).requests() + core.pops().metrics(0, 0).errors());
        assertEquals(0, core.events().counts().total());
        assertEquals(1, intake.counts().refused());
        assertEquals(0, core.decisions().decisions());
    }

    @Test
    void latenciesFeedThePopsWindowsWithLossesAndErrors() {
        settle(300);
        send(new IngestEvent.Latency(id(), null, "ams", 30.0, null, 200, "cdn"));
        send(new IngestEvent.Latency(id(), null, "ams", 50.0, null, 503, "audience"));
        send(new IngestEvent.Latency(id(), null, "ams", null, true, null, "probe"));
        send(new IngestEvent.Latency(id(), null, null, 20.0, null, null, null));
        settle(1000);
        var ams = core.pops().metrics(core.pops().index("ams"), 0);
        assertEquals(2, ams.requests(), "two answered");
        assertEquals(1, ams.errors(), "one 5xx; the lost probe is the probe series', not the audience's");
        assertEquals(0, ams.lossRatio(), 1e-9);
        assertEquals(1, core.pops().metrics(core.pops().index("fra"), 0).requests(), "no PoP: the default, the first");
        assertEquals(new io.edgedeck.client.model.EventCounts(3, 3, 0), core.events().counts(),
                "the show's events are the audience's: a lost probe is the probe series' loss, not the show's");
    }

    @Test
    void probesFillTheirOwnSeriesBesideTheAudiencesAndAPopNobodyProbesHasNone() {
        settle(300);
        for (int i = 0; i < 5; i++) {
            send(new IngestEvent.Latency(id(), null, "ams", 100.0 + i, null, 200, "audience"));
            send(new IngestEvent.Latency(id(), null, "ams", 10.0 + (i % 2) * 4, null, 200, "probe"));
        }
        send(new IngestEvent.Latency(id(), null, "ams", null, true, null, "probe"));
        settle(2000);
        long end = core.nowMillis() / 1000;
        var ams = core.pops().history("ams", 0, end);
        assertEquals(5, java.util.Arrays.stream(ams.requests()).sum(), "the audience's five requests alone");
        assertTrue(java.util.Arrays.stream(ams.p5Ms()).filter(v -> v > 0).min().orElseThrow() >= 99, "no probe among them: " + ams);
        var probes = ams.probes();
        assertEquals(5, java.util.Arrays.stream(probes.requests()).sum(), "five answered probes");
        assertEquals(1, java.util.Arrays.stream(probes.lost()).sum(), "one lost probe");
        assertTrue(java.util.Arrays.stream(probes.maxMs()).max().orElseThrow() < 20, probes.toString());
        // Seconds without an answered probe measured no jitter (NaN); those with answers have some.
        assertTrue(java.util.Arrays.stream(probes.jitterMs()).filter(v -> !Double.isNaN(v)).max().orElseThrow() > 0,
                "alternating probes have jitter");
        assertEquals(null, core.pops().history("fra", 0, end).probes(), "no probe measured fra: no series at all");
        assertEquals(5, core.pops().metrics(core.pops().index("ams"), 0).requests(), "the tile counts the audience");
        assertEquals(new io.edgedeck.client.model.EventCounts(5, 5, 0), core.events().counts(), "no probe, answered or lost");
    }

    /**
     * A probe measures one PoP: one naming none is refused by its field, not put in the default PoP's probe series as
     * though it had measured it; an audience latency naming none still counts at the default PoP. A latency out of range
     * is refused with the number as it was sent (-5, not -5.0).
     */
    @Test
    void aProbeNamingNoPopIsRefusedAndALatencyOutOfRangeIsNamedAsSent() {
        settle(300);
        IngestOutcome.Refused noPop = assertInstanceOf(IngestOutcome.Refused.class,
                send(new IngestEvent.Latency(id(), null, null, 12.0, null, 200, "probe")));
        assertEquals("pop", noPop.field(), noPop.reason());
        assertEquals("a probe measures one PoP: name it, one of [fra, ams, iad]", noPop.reason());
        assertRefused(send(new IngestEvent.Latency(id(), null, null, null, true, null, "probe")), "pop");
        assertInstanceOf(IngestOutcome.Accepted.class, send(new IngestEvent.Latency(id(), null, null, 20.0, null, null, "audience")));
        settle(1000);
        long end = core.nowMillis() / 1000;
        assertEquals(null, core.pops().history("fra", 0, end).probes(), "no probe was put at the default PoP");
        IngestOutcome.Refused negative = assertInstanceOf(IngestOutcome.Refused.class,
                send(new IngestEvent.Latency(id(), null, "fra", -5.0, null, null, "probe")));
        assertEquals("must be between 0 and 120000, was -5", negative.reason());
        IngestOutcome.Refused huge = assertInstanceOf(IngestOutcome.Refused.class,
                send(new IngestEvent.Latency(id(), null, "fra", 1e30, null, null, "probe")));
        assertEquals("must be between 0 and 120000, was 1.0E30", huge.reason());
    }

    @Test
    void chatIsReadByTheCoreAndCountsForTheUnitsVariants() {
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        String text = "this drop is amazing, love it";
        send(new IngestEvent.Chat(id(), null, text, "viewer-1", "twitch:show", "twitch:1", null));
        send(new IngestEvent.Chat(id(), null, "PogChamp ok", null, "twitch:show", null, List.of("PogChamp")));
        double expected = new ChatSentiment(new MemoryJournal()).read("twitch:show", text, List.of()).score();
        assertTrue(expected > 0.5, "a plainly happy line: " + expected);
        assertEquals(expected, variant(BANNER, "treatment").chatMeanScore(), 1e-12);
        assertEquals(1, variant(BANNER, "treatment").chatMessages());
        assertEquals(2, core.chat().messages(), "both count for the show");
        assertEquals(List.of("PogChamp"), core.chat().metrics().topEmotes(), "the platform's emotes are the reactions");
    }

    /** What a fleet node publishes scores chat as the core did: the outcome carries the core's own reading. */
    @Test
    void anAcceptedChatMessageCarriesTheCoresReadingOfIt() {
        settle(300);
        IngestOutcome.Accepted exposure = assertInstanceOf(IngestOutcome.Accepted.class, expose("viewer-1", BANNER, "treatment", "fra"));
        assertEquals(null, exposure.chat(), "only chat is read");
        IngestOutcome.Accepted english = assertInstanceOf(IngestOutcome.Accepted.class,
                send(new IngestEvent.Chat(id(), null, "this drop is amazing, love it", "viewer-1", "twitch:show", "twitch:1", null)));
        assertTrue(english.chat().read());
        assertEquals(variant(BANNER, "treatment").chatMeanScore(), english.chat().score(), 1e-12);
        IngestOutcome.Accepted other = assertInstanceOf(IngestOutcome.Accepted.class,
                send(new IngestEvent.Chat(id(), null, "これは本当に素晴らしいライブです、みんなありがとう", "viewer-1", "twitch:show",
                        "twitch:1", null)));
        assertTrue(!other.chat().read(), "a language the scorer does not read: " + other.chat());
        assertEquals(1, variant(BANNER, "treatment").chatMessages(), "and the core's arm did not score it either");
    }

    @Test
    void aLatencyNamingItsUnitCountsForItsVariantsAsARehearsalsRequestDoes() {
        settle(300);
        expose("viewer-1", BANNER, "treatment", "fra");
        expose("viewer-2", BANNER, "control", "fra");
        EdgeCore rehearsal = new EdgeCore(config(), new MemoryJournal());
        VirtualClock rehearsalClock = new VirtualClock();
        rehearsalClock.advance(300);
        rehearsal.advanceTo(rehearsalClock);
        int treatment = rehearsal.experiments().arm(BANNER, "treatment", true).id();
        for (int i = 0; i < 20; i++) {
            send(new IngestEvent.Latency(id(), null, "fra", 200.0 + i, null, null, null, "viewer-1"));
            rehearsal.experiments().request(treatment, 200.0 + i, false);
            send(new IngestEvent.Latency(id(), null, "fra", 20.0, null, null, null, "viewer-2"));
        }
        send(new IngestEvent.Latency(id(), null, "fra", null, true, null, null, "viewer-1"));
        rehearsal.experiments().request(treatment, 0, true);
        send(new IngestEvent.Latency(id(), null, "fra", 90.0, null, 503, "cdn", "viewer-1"));
        rehearsal.experiments().request(treatment, 90.0, true);
        send(new IngestEvent.Latency(id(), null, "fra", 5000.0, null, null, null, null));
        send(new IngestEvent.Latency(id(), null, "fra", 9000.0, null, null, null, "never-exposed"));
        settle(1000);
        rehearsalClock.advance(1000);
        rehearsal.advanceTo(rehearsalClock);
        var node = core.experiments().arm(BANNER, "treatment", true).window(60, null);
        var inProcess = rehearsal.experiments().arm(treatment).window(60, null);
        assertEquals(List.of(inProcess.requests(), inProcess.errors()), List.of(node.requests(), node.errors()),
                "the node's treatment saw the requests and errors the rehearsal's did");
        assertEquals(22, node.requests());
        assertEquals(2, node.errors(), "a loss and a 5xx are the variant's errors");
        assertEquals(20, core.experiments().arm(BANNER, "control", true).window(60, null).requests());
        assertRefused(send(new IngestEvent.Latency(id(), null, "fra", 10.0, null, null, "probe", "viewer-1")), "targetingKey");
    }

    @Test
    void aStepRunsItsUnitsTriggersAndCountsForNothingElse() {
        KeyedIntake steps = new KeyedIntake(new EdgeCore(TestShows.threePops(0).withFlags("node-config", List.of(abTest(BANNER)))
                .withTriggers(List.of(TriggerRule.atLeast("browsing", 3, 20_000, TriggerAction.SURFACE_CHECKOUT,
                        InteractionKind.VIEW, InteractionKind.CLICK))), new MemoryJournal()), clock, IngestLimits.DEFAULT);
        assertInstanceOf(IngestOutcome.Accepted.class, steps.accept(new IngestEvent.Step(id(), null, "view", "viewer-3")));
        assertInstanceOf(IngestOutcome.Accepted.class, steps.accept(new IngestEvent.Step(id(), null, "hover", "viewer-3")));
        assertInstanceOf(IngestOutcome.Accepted.class, steps.accept(new IngestEvent.Step(id(), null, "click", "viewer-3")));
        var third = assertInstanceOf(IngestOutcome.Accepted.class, steps.accept(new IngestEvent.Step(id(), null, "view", "viewer-3")));
        assertEquals(List.of(TriggerAction.SURFACE_CHECKOUT), third.firings().stream().map(f -> f.action()).toList(),
                "a view, a click and a view: three of the kinds the trigger counts (the hover is not one)");
        assertEquals(4L, steps.counts().accepted().get("step"));
        assertRefused(steps.accept(new IngestEvent.Step(id(), null, "scroll", "viewer-3")), "name");
        assertRefused(steps.accept(new IngestEvent.Step(id(), null, "view", null)), "targetingKey");
    }

    @Test
    void aUnitsTriggersRunOnItsChat() {
        settle(300);
        List<IngestOutcome> outcomes = intake.acceptAll(List.of(
                new IngestEvent.Chat(id(), null, "one", "viewer-9", null, null, null),
                new IngestEvent.Chat(id(), null, "two", "viewer-9", null, null, null),
                new IngestEvent.Chat(id(), null, "three", "viewer-9", null, null, null)));
        var last = assertInstanceOf(IngestOutcome.Accepted.class, outcomes.getLast());
        assertEquals(1, last.firings().size());
        assertEquals(TriggerAction.PIN_OFFER, last.firings().getFirst().action());
        assertEquals(1L, core.frame(io.edgedeck.client.model.ShowState.RUNNING, 1, 0).triggers().firingsByRule().get("chatty"));
    }

    /**
     * Three chats 15 s apart never made three within the chatty trigger's 20 s. Fed back after a restart, at the
     * restart's instant, they still do not: the unit's triggers see each when it first came.
     */
    @Test
    void aRestartFeedsTriggersEachEventAtItsArrivalNotAllAtOnce() {
        settle(300);
        List<IngestEvent> chats = List.of(new IngestEvent.Chat(id(), null, "one", "viewer-9", null, null, null),
                new IngestEvent.Chat(id(), null, "two", "viewer-9", null, null, null),
                new IngestEvent.Chat(id(), null, "three", "viewer-9", null, null, null));
        List<Long> arrivals = new java.util.ArrayList<>();
        for (IngestEvent chat : chats) {
            arrivals.add(clock.nowMillis());
            var taken = assertInstanceOf(IngestOutcome.Accepted.class, send(chat));
            assertEquals(List.of(), taken.firings());
            settle(15_000);
        }
        EdgeCore restarted = restartedCore();
        restarted.advanceTo(clock);
        KeyedIntake after = new KeyedIntake(restarted, clock, IngestLimits.DEFAULT);
        for (int i = 0; i < chats.size(); i++) {
            var again = assertInstanceOf(IngestOutcome.Accepted.class, after.acceptReplayed(chats.get(i), arrivals.get(i)));
            assertEquals(List.of(), again.firings(), "chat " + i + " fed back at its arrival");
        }
        assertEquals(0L, restarted.frame(io.edgedeck.client.model.ShowState.RUNNING, 1, 0).triggers().firingsByRule()
                .getOrDefault("chatty", 0L));
    }

    @Test
    void aCheckoutThatEndsItsDecisionWithStageTimesFeedsTheDecisionBudget() {
        settle(300);
        send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "started"));
        assertInstanceOf(IngestOutcome.Accepted.class,
                send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "authorised", 40.0, 60.0, 450.0)));
        assertInstanceOf(IngestOutcome.Accepted.class,
                send(new IngestEvent.Checkout(id(), null, "c-2", "ams", "queued", 30.0, 20.0, 100.0)));
        send(new IngestEvent.Checkout(id(), null, "c-3", "iad", "authorised"));
        var m = core.decisions().metrics(core.nowMillis());
        assertEquals(2, m.decisions(), "the checkout without stage times is no timed decision");
        assertEquals(1, m.overSlo(), "40 + 60 + 450 ms is over 500");
        assertEquals(450, m.stage(io.edgedeck.client.model.DecisionStage.ACT).p99Ms());
        assertEquals(2, core.frame(io.edgedeck.client.model.ShowState.RUNNING, 1, 0).decisions().windowDecisions());
    }

    @Test
    void aRefusedCheckoutTimesNoDecision() {
        settle(300);
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "authorised", 40.0, null, 450.0)), "enrichMs");
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-1", "nowhere", "authorised", 40.0, 10.0, 450.0)), "pop");
        assertEquals(0, core.decisions().decisions());
        assertEquals(0, core.checkouts().counts().attempted());
    }

    /**
     * Past the 100,000 checkouts held in flight the oldest counts as lost; when it ends later that is the
     * same attempt ending (attempted does not grow, lost falls back), and a second start of it is refused.
     */
    @Test
    void aCheckoutForgottenInFlightThatEndsLaterIsOneAttempt() {
        settle(300);
        int held = 100_000;
        for (int i = 0; i <= held + 1; i++) {
            assertInstanceOf(IngestOutcome.Accepted.class, send(new IngestEvent.Checkout(id(), null, "c-" + i, "fra", "started")));
        }
        assertEquals(new CheckoutCounts(held + 2, 0, 0, 0, 2, held), core.checkouts().counts(), "c-0 and c-1 forgotten");

        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-0", "fra", "started")), "checkoutId");
        assertInstanceOf(IngestOutcome.Accepted.class, send(new IngestEvent.Checkout(id(), null, "c-0", "fra", "authorised")));
        assertInstanceOf(IngestOutcome.Accepted.class, send(new IngestEvent.Checkout(id(), null, "c-1", "ams", "queued")));
        assertEquals(new CheckoutCounts(held + 2, 1, 1, 0, 0, held + 1), core.checkouts().counts(),
                "the same attempts, ended: nothing lost, none attempted twice");
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-0", "fra", "authorised")), "checkoutId");
    }

    @Test
    void checkoutsFollowTheirStatesAndAQueuedOneSurvivesARestart() {
        settle(300);
        send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "started"));
        send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "authorised"));
        send(new IngestEvent.Checkout(id(), null, "c-2", "ams", "started"));
        send(new IngestEvent.Checkout(id(), null, "c-2", "ams", "queued"));
        send(new IngestEvent.Checkout(id(), null, "c-3", "iad", "queued"));
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-2", "ams", "started")), "checkoutId");
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-2", "ams", "authorised")), "state");
        // c-1 has ended (authorised): every further event for it is refused, as a second start is
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "reconciled")), "checkoutId");
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "authorised")), "checkoutId");
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-1", "fra", "queued")), "checkoutId");
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-4", "fra", "reconciled")), "state");
        assertRefused(send(new IngestEvent.Checkout(id(), null, "c-2", "fra", "reconciled")), "pop");
        assertEquals(new CheckoutCounts(3, 1, 2, 0, 0, 2), core.checkouts().counts());
        assertTrue(journal.records().stream().anyMatch(r -> r instanceof JournalRecord.CheckoutQueued q && "c-2".equals(q.ref())));

        EdgeCore restarted = restartedCore();
        assertEquals(core.durableState(), restarted.durableState());
        KeyedIntake after = new KeyedIntake(restarted, clock, IngestLimits.DEFAULT);
        assertInstanceOf(IngestOutcome.Accepted.class, after.accept(new IngestEvent.Checkout("r-1", null, "c-2", null, "reconciled")));
        assertEquals(1, restarted.checkouts().counts().reconciled());
        assertEquals(1, restarted.checkouts().counts().pending(), "c-3 still waits at iad");
        assertEquals(java.util.Map.of("c-3", "iad"), restarted.durableState().queuedCheckouts());
    }

    /**
     * A live node restarts: its journal restores the queued checkouts, then its ingest log feeds every event
     * back. The log rebuilds them alone: every event it took is taken again, none refused as a repeat, the
     * counts are what they were, and nothing is journaled a second time.
     */
    @Test
    void aLiveNodesCheckoutsAreRebuiltFromTheEventsItTookNotCountedTwice() {
        settle(300);
        List<IngestEvent> took = List.of(
                new IngestEvent.Checkout(id(), null, "c-1", "fra", "started"),
                new IngestEvent.Checkout(id(), null, "c-1", "fra", "authorised"),
                new IngestEvent.Checkout(id(), null, "c-2", "ams", "started"),
                new IngestEvent.Checkout(id(), null, "c-2", "ams", "queued"),
                new IngestEvent.Checkout(id(), null, "c-3", "iad", "queued"),
                new IngestEvent.Checkout(id(), null, "c-3", "iad", "reconciled"));
        took.forEach(e -> assertInstanceOf(IngestOutcome.Accepted.class, send(e)));
        CheckoutCounts before = core.checkouts().counts();
        assertEquals(new CheckoutCounts(3, 1, 2, 1, 0, 1), before);

        MemoryJournal copy = new MemoryJournal();
        journal.records().forEach(copy::append);
        int journaled = copy.records().size();
        EdgeCore restarted = new EdgeCore(config(), copy);
        KeyedIntake after = new KeyedIntake(restarted, clock, IngestLimits.DEFAULT);
        restarted.checkouts().rebuildFromSources();
        took.forEach(e -> assertInstanceOf(IngestOutcome.Accepted.class, after.acceptReplayed(e, clock.nowMillis()), e::toString));
        restarted.checkouts().rebuilt();
        assertEquals(before, restarted.checkouts().counts());
        assertEquals(journaled, copy.records().size(), "the events fed back are journaled already");
        assertEquals(java.util.Map.of("c-2", "ams"), restarted.durableState().queuedCheckouts());
        assertInstanceOf(IngestOutcome.Accepted.class, after.accept(new IngestEvent.Checkout("r-9", null, "c-2", null, "reconciled")));
        assertEquals(journaled + 1, copy.records().size(), "and what moves next is journaled again");
    }

    /**
     * An id without {@code at} sent, then sent again past the dedupe window, counts twice live; read back
     * from the log after a restart, where every event is read at the restart's moment, it counts twice
     * too, and one sent again within the window once, as it did live.
     */
    @Test
    void theDedupeWindowIsTimedFromEachArrivalWhenTheLogIsReadBack() {
        settle(300);
        long window = IngestLimits.DEFAULT.dedupeWindowMillis();
        IngestEvent late = new IngestEvent.Latency("lat-again", null, "fra", 40.0, null, null, null);
        IngestEvent soon = new IngestEvent.Latency("lat-soon", null, "fra", 41.0, null, null, null);
        List<IngestEvent> sent = List.of(late, soon, soon, late);
        List<Long> arrivals = new java.util.ArrayList<>();
        List<Class<?>> live = new java.util.ArrayList<>();
        long[] gaps = {0, 1_000, 2_000, window};
        for (int i = 0; i < sent.size(); i++) {
            settle(gaps[i]);
            arrivals.add(clock.nowMillis());
            live.add(intake.accept(sent.get(i), clock.nowMillis()).getClass());
        }
        assertEquals(List.of(IngestOutcome.Accepted.class, IngestOutcome.Accepted.class, IngestOutcome.Duplicate.class,
                IngestOutcome.Accepted.class), live, "live: the late resend is new again, the soon one a duplicate");

        EdgeCore restarted = restartedCore();
        KeyedIntake after = new KeyedIntake(restarted, clock, IngestLimits.DEFAULT);
        List<Class<?>> replayed = new java.util.ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            replayed.add(after.acceptReplayed(sent.get(i), arrivals.get(i)).getClass());
        }
        assertEquals(live, replayed, "read back, each event is judged as it was live");
    }

    @Test
    void pastItsBoundTheLeastRecentlyActiveUnitIsForgotten() {
        intake = new KeyedIntake(core, clock, bounded(2, 32));
        settle(300);
        expose("u1", BANNER, "treatment", "fra");
        expose("u2", BANNER, "treatment", "fra");
        expose("u3", BANNER, "treatment", "fra");
        assertEquals(2, intake.counts().units());
        send(new IngestEvent.Conversion(id(), null, "purchase", "u1", null));
        send(new IngestEvent.Conversion(id(), null, "purchase", "u3", null));
        assertEquals(1, variant(BANNER, "treatment").conversions(), "u1 was forgotten, u3 converts");
    }

    /**
     * Asking whether a unit is in an arm, or whether an exposure of it would count, is no activity
     * of the unit's: a restart's replay makes no such lookups, so past the bound the units remembered
     * after a restart are the ones remembered before it.
     */
    @Test
    void lookupsLeaveTheUnitsOrderAsAReplayOfTheEventsDoes() {
        IngestLimits twoUnits = bounded(2, 32);
        intake = new KeyedIntake(core, clock, twoUnits);
        settle(300);
        List<IngestEvent> events = new java.util.ArrayList<>();
        List<Long> arrivals = new java.util.ArrayList<>();
        for (String unit : List.of("u1", "u2", "u3")) {
            if (unit.equals("u3")) {
                // the least recently active unit is looked up before the exposure that pushes one out
                assertTrue(intake.isIn("u1", BANNER, "treatment"));
                assertFalse(intake.wouldCount(new IngestEvent.Exposure(id(), null, BANNER, "treatment", "u1", "fra")));
            }
            events.add(new IngestEvent.Exposure(id(), null, BANNER, "treatment", unit, "fra"));
            arrivals.add(clock.nowMillis());
            assertInstanceOf(IngestOutcome.Accepted.class, send(events.getLast()));
        }
        EdgeCore restarted = restartedCore();
        restarted.advanceTo(clock);
        KeyedIntake after = new KeyedIntake(restarted, clock, twoUnits);
        for (int i = 0; i < events.size(); i++) {
            assertInstanceOf(IngestOutcome.Accepted.class, after.acceptReplayed(events.get(i), arrivals.get(i)));
        }
        List<String> units = List.of("u1", "u2", "u3");
        List<String> rememberedAfterRestart = units.stream().filter(u -> after.isIn(u, BANNER, "treatment")).toList();
        assertEquals(List.of("u2", "u3"), rememberedAfterRestart);
        assertEquals(rememberedAfterRestart, units.stream().filter(u -> intake.isIn(u, BANNER, "treatment")).toList(),
                "the lookups changed which units are remembered");
    }

    /**
     * The count an evaluation's ETag names the paused variants' members by changes when a unit enters
     * or leaves a paused variant, or is forgotten while in one, and for nothing else: not for the
     * units that come and go in variants serving as usual.
     */
    @Test
    void thePausedPlacementsChangeOnlyWhenAUnitEntersOrLeavesAPausedVariant() {
        intake = new KeyedIntake(core, clock, bounded(3, 32));
        settle(300);
        expose("in", BANNER, "treatment", "fra");
        expose("out", BANNER, "control", "fra");
        assertEquals(0, intake.pausedPlacementChanges(), "nothing is paused");
        core.experiments().setPaused(BANNER, "treatment", true, "test", "hold", core.nowMillis());
        long paused = intake.pausedPlacementChanges();
        expose("in", BANNER, "treatment", "fra");
        expose("out", BANNER, "control", "fra");
        expose("in", BUTTON, "treatment", "fra");
        assertEquals(paused, intake.pausedPlacementChanges(), "repeats and other flags place nobody anew");
        expose("out", BANNER, "treatment", "fra");
        assertEquals(paused + 1, intake.pausedPlacementChanges(), "entered the paused treatment");
        expose("out", BANNER, "control", "fra");
        assertEquals(paused + 2, intake.pausedPlacementChanges(), "left it");
        expose("new", BANNER, "control", "fra");
        assertEquals(paused + 2, intake.pausedPlacementChanges(), "the three units remembered; none left forgotten");
        expose("newer", BANNER, "control", "fra");
        assertEquals(paused + 3, intake.pausedPlacementChanges(), "\"in\" was forgotten while in the paused treatment");
        expose("newest", BANNER, "control", "fra");
        assertEquals(paused + 3, intake.pausedPlacementChanges(), "\"out\" was forgotten in control");
    }

    @Test
    void aUnitIsInTheArmItsExposuresToTheFlagCountFor() {
        // One arm remembered per unit: its banner arm leaves that list when it meets the button.
        intake = new KeyedIntake(core, clock, bounded(100, 1));
        settle(300);
        expose("u1", BANNER, "treatment", "fra");
        assertTrue(intake.isIn("u1", BANNER, "treatment"));
        expose("u1", BUTTON, "control", "fra");
        assertTrue(intake.isIn("u1", BANNER, "treatment"), "still counted in the banner's treatment");
        assertTrue(intake.isIn("u1", BUTTON, "control"));
        assertFalse(intake.isIn("u1", BANNER, "control"));
        assertFalse(intake.isIn("u2", BANNER, "treatment"));
    }
}
