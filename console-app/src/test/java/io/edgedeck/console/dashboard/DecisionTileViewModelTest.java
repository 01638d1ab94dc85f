package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.DecisionMetrics.StageLatency;
import io.edgedeck.console.Frames;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionTileViewModelTest {

    private static DecisionMetrics metrics(long window, long windowOver, StageLatency act, StageLatency total) {
        return new DecisionMetrics(1_000, 40, 60, window, windowOver, List.of(
                new StageLatency("validate", 20, 36, 47, 200), new StageLatency("enrich", 21, 35, 46, 150), act, total));
    }

    private static DecisionTileViewModel applied(DecisionMetrics d) {
        ShowTilesViewModel show = new ShowTilesViewModel();
        show.apply(Frames.frame(1000, null, null, null, null, null, null, null).withDecisions(d));
        return show.decisions();
    }

    @Test
    void aShowThatTimedNoDecisionHasNoTile() {
        DecisionTileViewModel vm = applied(DecisionMetrics.NONE);
        assertFalse(vm.presentProperty().get());
        assertEquals("no decision timed yet", vm.headlineProperty().get());
    }

    @Test
    void everyStageWithinBudgetIsGreenAndTheRowsAreInStageOrder() {
        DecisionTileViewModel vm = applied(metrics(500, 0, new StageLatency("act", 180, 240, 290, 300),
                new StageLatency("total", 230, 300, 380, 500)));
        assertTrue(vm.presentProperty().get());
        assertEquals(Status.OK, vm.statusProperty().get());
        assertEquals(List.of("validate", "enrich", "act", "total"), vm.rowsProperty().get().stream()
                .map(DecisionTileViewModel.StageRow::stage).toList());
        assertEquals("0.0% over 500 ms · within budget", vm.headlineProperty().get());
        assertEquals("500 decisions in the last 60 s, 0 over 500 ms · 1,000 since the start, 40 over", vm.detailProperty().get());
        assertEquals("500 decisions in 60 s · 0 over 500 ms", vm.footnoteProperty().get());
    }

    @Test
    void aP99OverBudgetIsAmberAndAP95OverIsRedNamingTheStage() {
        DecisionTileViewModel amber = applied(metrics(500, 2, new StageLatency("act", 180, 280, 320, 300),
                new StageLatency("total", 230, 330, 420, 500)));
        assertEquals(Status.WARN, amber.statusProperty().get());
        assertEquals(Status.WARN, amber.rowsProperty().get().get(2).status());
        assertEquals("0.4% over 500 ms · p99 over budget", amber.headlineProperty().get());
        DecisionTileViewModel red = applied(metrics(500, 20, new StageLatency("act", 180, 1_900, 2_000, 300),
                new StageLatency("total", 230, 1_950, 2_060, 500)));
        assertEquals(Status.BAD, red.statusProperty().get());
        assertEquals("4.0% over 500 ms · over: act, total", red.headlineProperty().get());
    }

    @Test
    void aNarrowTileSaysTheHeadlineAndCountInFewerWords() {
        DecisionTileViewModel amber = applied(metrics(500, 2, new StageLatency("act", 180, 280, 320, 300),
                new StageLatency("total", 230, 330, 420, 500)));
        assertEquals(List.of("0.4% over 500 ms · p99 over budget", "0.4% >500 ms · p99 over budget", "0.4% >500 ms · p99 over"),
                amber.headlinesProperty().get());
        assertEquals(List.of("500 decisions in 60 s · 2 over 500 ms", "500 decisions in 60 s · 2 >500 ms"), amber.footnotesProperty().get());
        DecisionTileViewModel red = applied(metrics(500, 20, new StageLatency("act", 180, 1_900, 2_000, 300),
                new StageLatency("total", 230, 1_950, 2_060, 500)));
        assertEquals(List.of("4.0% over 500 ms · over: act, total", "4.0% >500 ms · over: act, total", "4.0% >500 ms · 2 over budget"),
                red.headlinesProperty().get());
    }

    @Test
    void moreThanOneDecisionInTwentyOverTheObjectiveIsRedEvenWithPercentilesWithinBudget() {
        DecisionTileViewModel vm = applied(metrics(100, 6, new StageLatency("act", 180, 240, 290, 300),
                new StageLatency("total", 230, 300, 380, 500)));
        assertEquals(Status.BAD, vm.statusProperty().get());
        assertEquals(6.0, vm.overSloPercentProperty().get(), 1e-9);
    }

    @Test
    void anEmptyWindowIsNeutralAndStoppedFramesAreGrey() {
        ShowTilesViewModel show = new ShowTilesViewModel();
        show.apply(Frames.frame(1000, null, null, null, null, null, null, null)
                .withDecisions(new DecisionMetrics(12, 0, 60, 0, 0, List.of())));
        assertEquals(Status.NEUTRAL, show.decisions().statusProperty().get());
        assertEquals("no decision in the last 60 s", show.decisions().headlineProperty().get());
        assertTrue(show.decisions().rowsProperty().get().isEmpty());
        show.markStale(5);
        assertEquals(Status.STALE, show.decisions().statusProperty().get());
    }
}
