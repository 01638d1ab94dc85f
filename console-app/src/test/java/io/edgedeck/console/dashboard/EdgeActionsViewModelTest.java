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
}
