package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.console.Frames;
import io.edgedeck.console.common.LiveClocks;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdgeActionsViewModelTest {
    private static final List<VariantMetrics> OFFER = List.of(
            new VariantMetrics("offer-banner", "control", true, 1000, 50, 0, 0),
            new VariantMetrics("offer-banner", "treatment", false, 1000, 52, 0, 0));

    @Test
    void aRollbackStaysOnTheVariantTileUntilAcknowledged() {
        DashboardViewModel dashboard = new DashboardViewModel();
        dashboard.apply(Frames.frame(400_000, null, OFFER, null, null, null, List.of(), null));
        var treatment = dashboard.showTiles().conversion().tile("offer-banner", "treatment");
        assertEquals("", treatment.actionProperty().get());

        dashboard.apply(Frames.frame(422_000, null, OFFER, null, null, null, List.of(Frames.firing(421_500, true)), null));
        assertEquals("rolled back at 07:01 by sentiment-guard", treatment.actionProperty().get());
        assertEquals(Status.BAD, treatment.shownStatus(), "an unacknowledged rollback is red whatever the lift says");
        assertEquals("offer-banner / treatment rolled back at 07:01 by sentiment-guard",
                dashboard.edgeActions().latestNewProperty().get().headline(), "it happened while the console watched: news");
        assertEquals("", dashboard.showTiles().conversion().tile("offer-banner", "control").actionProperty().get());

        // Later frames carry the same firing: it stays, once.
        dashboard.apply(Frames.frame(430_000, null, OFFER, null, null, null, List.of(Frames.firing(421_500, true)), null));
        assertEquals(1, dashboard.edgeActions().actions().size());
        assertEquals("rolled back at 07:01 by sentiment-guard", treatment.actionProperty().get());

        dashboard.showTiles().conversion().acknowledge(treatment);
        assertEquals("", treatment.actionProperty().get());
        assertEquals(treatment.statusProperty().get(), treatment.shownStatus());
        assertEquals(1, dashboard.edgeActions().actions().size(), "acknowledged, it is still in the list the status bar reopens");
        assertTrue(dashboard.edgeActions().unacknowledged().isEmpty());
    }

    @Test
    void aRollbackFromBeforeTheConsoleWatchedIsShownButIsNotNews() {
        EdgeActionsViewModel actions = new EdgeActionsViewModel();
        actions.apply(Frames.frame(500_000, null, OFFER, null, null, null, List.of(Frames.firing(300_000, false)), null));
        assertNull(actions.latestNewProperty().get());
        assertEquals("rolled back at 05:00 by ana", actions.unacknowledged("offer-banner", "treatment").orElseThrow().sentence());
    }

    @Test
    void aKillNamesWhenAndWhoFromTheTimelineAndCoversEveryVariant() {
        EdgeActionsViewModel actions = new EdgeActionsViewModel();
        actions.apply(Frames.frame(0, null, OFFER, null, null, null, List.of(), null));
        FlagView killed = new FlagView("offer-banner", "d", "o", Frames.flag("offer-banner", 3, 5000).variants(), "control",
                "global", 3, true, 6, 6, 100L);
        ShowEvent kill = new ShowEvent(62_000, "flag", "flag.kill offer-banner: killed", null, "offer-banner", "ana");
        actions.apply(Frames.frame(63_000, null, OFFER, null, List.of(killed), null, List.of(), List.of(kill)));
        assertEquals("offer-banner killed at 01:02 by ana", actions.latestNewProperty().get().headline());
        assertTrue(actions.unacknowledged("offer-banner", "treatment").isPresent());
        actions.acknowledge("offer-banner", "treatment");
        assertTrue(actions.unacknowledged().isEmpty());
    }

    @Test
    void aPlaybooksKillNamesWhenAndWhoToo() {
        EdgeActionsViewModel actions = new EdgeActionsViewModel();
        actions.apply(Frames.frame(0, null, OFFER, null, null, null, List.of(), null));
        FlagView killed = new FlagView("offer-banner", "d", "o", Frames.flag("offer-banner", 3, 5000).variants(), "control",
                "global", 3, true, 6, 6, 100L);
        // As the node's timeline labels a playbook's run: its action, its target, then every change it made.
        ShowEvent run = new ShowEvent(62_000, "flag", "playbook.run calm: kill offer-banner; disarm sentiment-guard", null,
                "calm", "ana");
        ShowEvent other = new ShowEvent(61_000, "flag", "playbook.run quiet: kill offer-banner-2", null, "quiet", "bo");
        actions.apply(Frames.frame(63_000, null, OFFER, null, List.of(killed), null, List.of(), List.of(other, run)));
        assertEquals("offer-banner killed at 01:02 by ana", actions.latestNewProperty().get().headline());
    }

    @Test
    void onALiveNodeARollbackAndAKillSayWhenOnTheWallClock() {
        EdgeActionsViewModel actions = new EdgeActionsViewModel();
        actions.showTimesBy(LiveClocks.live());
        FlagView killed = new FlagView("offer-banner", "d", "o", Frames.flag("offer-banner", 3, 5000).variants(), "control",
                "global", 3, true, 6, 6, 100L);
        ShowEvent kill = new ShowEvent(62_000, "flag", "flag.kill offer-banner: killed", null, "offer-banner", "ana");
        actions.apply(Frames.frame(500_000, null, OFFER, null, List.of(killed), null, List.of(Frames.firing(300_000, false)),
                List.of(kill)));
        assertEquals("rolled back at " + LiveClocks.wall(300_000) + " by ana", actions.unacknowledged().stream()
                .filter(a -> a.kind() == EdgeActionsViewModel.Kind.ROLLED_BACK).findFirst().orElseThrow().sentence());
        assertEquals("offer-banner killed at " + LiveClocks.wall(62_000) + " by ana", actions.unacknowledged().stream()
                .filter(a -> a.kind() == EdgeActionsViewModel.Kind.KILLED).findFirst().orElseThrow().headline());
    }

    @Test
    void anotherShowForgetsTheActions() {
        DashboardViewModel dashboard = new DashboardViewModel();
        dashboard.apply(Frames.frame(422_000, null, OFFER, null, null, null, List.of(Frames.firing(421_500, true)), null));
        // Engine time going back: the show was started again.
        dashboard.apply(Frames.frame(1_000, null, OFFER, null, null, null, List.of(), null));
        assertTrue(dashboard.edgeActions().actions().isEmpty());
        assertEquals("", dashboard.showTiles().conversion().tile("offer-banner", "treatment").actionProperty().get());
    }

    private static final List<VariantMetrics> CHECKOUT = List.of(
            new VariantMetrics("checkout-button", "control", true, 1000, 50, 0, 0),
            new VariantMetrics("checkout-button", "treatment", false, 1000, 58, 0, 0));

    private static ShowEvent entry(long atMillis, String label, String actor) {
        return new ShowEvent(atMillis, "flag", label, null, "checkout-button", actor);
    }

    @Test
    void onAFleetNodeARollbackMadeOnAnotherNodeMarksTheTile() {
        DashboardViewModel dashboard = new DashboardViewModel();
        FlagView rolledBack = Frames.flag("checkout-button", 4, 0);
        List<ShowEvent> timeline = List.of(
                entry(0, "flag.create checkout-button: v1 control=50% treatment=50% control=control scope=global", "scenario"),
                entry(302_410, "flag.unkill checkout-button: v3 control=50% treatment=50% control=control scope=global", "alice"),
                entry(441_700, "fleet.apply checkout-button: v4 control=100% treatment=0% control=control scope=global",
                        "fleet:node-c"));
        dashboard.apply(Frames.frame(500_000, null, CHECKOUT, null, List.of(rolledBack), null, List.of(), timeline));
        var treatment = dashboard.showTiles().conversion().tile("checkout-button", "treatment");
        assertEquals("rolled back at 07:21 by node-c", treatment.actionProperty().get());
        assertEquals(Status.BAD, treatment.shownStatus());
        assertEquals("", dashboard.showTiles().conversion().tile("checkout-button", "control").actionProperty().get());
    }

    /** The view model after a frame at {@code engineMillis} with checkout-button at {@code version}, treatment at 0. */
    private static EdgeActionsViewModel rolledBackAt(long engineMillis, long version, ShowEvent... timeline) {
        EdgeActionsViewModel actions = new EdgeActionsViewModel();
        actions.apply(Frames.frame(engineMillis, null, CHECKOUT, null, List.of(Frames.flag("checkout-button", version, 0)), null,
                List.of(), List.of(timeline)));
        return actions;
    }

    @Test
    void onAFleetNodeTheAggregatorsRollbackMarksTheTileOnce() {
        ShowEvent[] timeline = {
                entry(547_070, "fleet.apply checkout-button: v7 control=70% treatment=30% control=control scope=global",
                        "fleet:node-a"),
                entry(602_030, "fleet.apply checkout-button: v8 control=100% treatment=0% control=control scope=global",
                        "fleet:aggregator")};
        EdgeActionsViewModel actions = rolledBackAt(700_000, 8, timeline);
        assertEquals("rolled back at 10:02 by the fleet's aggregator",
                actions.unacknowledged("checkout-button", "treatment").orElseThrow().sentence());
        actions.apply(Frames.frame(701_000, null, CHECKOUT, null, List.of(Frames.flag("checkout-button", 8, 0)), null,
                List.of(), List.of(timeline)));
        assertEquals(1, actions.actions().size(), "later frames carry the same entry: it stays, once");
    }

    @Test
    void atTheAggregatorANodesManualRollbackNamesWhoMadeIt() {
        EdgeActionsViewModel actions = rolledBackAt(600_000, 4,
                entry(363_900, "node-a: fleet.apply checkout-button: v3 control=50% treatment=50% control=control scope=global",
                        "fleet:node-b"),
                entry(502_381, "node-c: flag.rollback checkout-button: v4 control=100% treatment=0% control=control scope=global",
                        "alice"),
                entry(502_395, "node-b: fleet.apply checkout-button: v4 control=100% treatment=0% control=control scope=global",
                        "fleet:node-c"));
        assertEquals("rolled back at 08:22 by alice",
                actions.unacknowledged("checkout-button", "treatment").orElseThrow().sentence());
    }

    @Test
    void aVariantAtZeroFromTheStartOrWithAFiringIsNoNewRollback() {
        EdgeActionsViewModel actions = rolledBackAt(10_000, 1,
                entry(0, "flag.create checkout-button: v1 control=100% treatment=0% control=control scope=global", "scenario"));
        assertTrue(actions.actions().isEmpty(), "never served: nothing was rolled back");

        // Another node's operator moving the variant's weight elsewhere than control is a weight change.
        EdgeActionsViewModel fleet = new EdgeActionsViewModel();
        FlagView three = new FlagView("checkout-button", "d", "o", List.of(new io.edgedeck.client.model.VariantView("control",
                5000), new io.edgedeck.client.model.VariantView("treatment", 0),
                new io.edgedeck.client.model.VariantView("compact", 5000)), "control", "global", 3, false, 6, 6, 100L);
        fleet.apply(Frames.frame(10_000, null, CHECKOUT, null, List.of(three), null, List.of(), List.of(
                entry(1_000, "flag.change checkout-button: v2 control=50% treatment=25% compact=25% control=control"
                        + " scope=global", "alice"),
                entry(2_000, "fleet.apply checkout-button: v3 control=50% treatment=0% compact=50% control=control"
                        + " scope=global", "fleet:node-a"))));
        assertTrue(fleet.actions().isEmpty(), "treatment's share went to compact: not a rollback");

        // On a node in no fleet a manual rollback is a firing and a flag.rollback entry: one action.
        EdgeActionsViewModel local = new EdgeActionsViewModel();
        var firing = new io.edgedeck.client.model.GuardrailFiring(90_000, "manual", "checkout-button", "treatment",
                io.edgedeck.client.model.GuardrailAction.ROLLBACK, List.of("fra"), "bad", false, "alice", java.util.Map.of());
        local.apply(Frames.frame(100_000, null, CHECKOUT, null, List.of(Frames.flag("checkout-button", 2, 0)), null,
                List.of(firing), List.of(
                        entry(0, "flag.create checkout-button: v1 control=50% treatment=50% control=control scope=global", "scenario"),
                        entry(90_000, "flag.rollback checkout-button: v2 control=100% treatment=0% control=control scope=global",
                                "alice"))));
        assertEquals(1, local.actions().size());
        assertEquals("rolled back at 01:30 by alice", local.actions().getFirst().sentence());
    }

    @Test
    void aKillFromAnotherNodeSaysWhenAndWhere() {
        FlagView killed = new FlagView("checkout-button", "d", "o", Frames.flag("checkout-button", 5, 5000).variants(),
                "control", "global", 5, true, 6, 6, 100L);
        EdgeActionsViewModel node = new EdgeActionsViewModel();
        node.apply(Frames.frame(400_000, null, CHECKOUT, null, List.of(killed), null, List.of(), List.of(
                entry(267_050, "flag.kill checkout-button: v2 control=50% treatment=50% control=control scope=global killed",
                        "alice"),
                entry(302_410, "flag.unkill checkout-button: v3 control=50% treatment=50% control=control scope=global", "alice"),
                entry(328_960, "fleet.apply checkout-button: v5 control=50% treatment=50% control=control scope=global killed",
                        "fleet:node-a"))));
        assertEquals("checkout-button killed at 05:28 by node-a", node.actions().getFirst().headline());

        EdgeActionsViewModel aggregator = new EdgeActionsViewModel();
        aggregator.apply(Frames.frame(400_000, null, CHECKOUT, null, List.of(killed), null, List.of(), List.of(
                entry(389_655, "node-b: fleet.apply checkout-button: v5 control=50% treatment=50% control=control scope=global"
                        + " killed", "fleet:node-a"),
                entry(389_660, "node-a: flag.kill checkout-button: v5 control=50% treatment=50% control=control scope=global"
                        + " killed", "alice"),
                entry(389_661, "node-c: fleet.apply checkout-button: v5 control=50% treatment=50% control=control scope=global"
                        + " killed", "fleet:node-a"))));
        assertEquals("checkout-button killed at 06:29 by alice", aggregator.actions().getFirst().headline());
    }
}
