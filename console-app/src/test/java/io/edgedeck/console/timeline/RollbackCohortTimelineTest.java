package io.edgedeck.console.timeline;

import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.console.dashboard.ShowTilesViewModel;
import io.edgedeck.console.dashboard.VariantTile;
import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.show.Show;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollback moves thousands of treatment sessions to control at once. Counted as new control
 * exposures they would sink control's conversion on the Timeline for a minute; as their own cohort
 * they leave it where it was.
 */
class RollbackCohortTimelineTest {

    @Test
    void aRollbackDoesNotDipControlsConversion() {
        var scenario = ScenarioCatalog.load("sentiment-crash");
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        TimelineViewModel timeline = new TimelineViewModel();
        ShowTilesViewModel tiles = new ShowTilesViewModel();
        long firedAt = -1;
        long lastSecond = -1;
        while (!show.finished() && (firedAt < 0 || show.core().nowMillis() < firedAt + 125_000)) {
            show.step();
            long second = show.core().nowMillis() / 1000;
            if (second != lastSecond) {
                lastSecond = second;
                var frame = show.frame(ShowState.RUNNING, 0);
                timeline.apply(frame);
                tiles.apply(frame);
                if (firedAt < 0 && !show.guardrailFirings().isEmpty()) {
                    firedAt = (long) (show.guardrailFirings().getFirst().atSeconds() * 1000);
                }
            }
        }
        assertTrue(firedAt > 0, "sentiment-crash rolls the treatment back");
        VariantMetrics control = show.variantMetrics().stream().filter(VariantMetrics::control).findFirst().orElseThrow();
        // the rollback moved most of the treatment's sessions: without a cohort of their own, the
        // minute after it would have had several times control's usual exposures
        long usualPerMinute = control.exposures() * 60_000 / show.core().nowMillis();
        assertTrue(control.movedIn() > 2 * usualPerMinute, control + " vs " + usualPerMinute + " exposures a minute");

        double before = (rateAt(timeline, firedAt - 60_000) + rateAt(timeline, firedAt)) / 2;
        double after = (rateAt(timeline, firedAt + 60_000) + rateAt(timeline, firedAt + 120_000)) / 2;
        assertTrue(after > 0.7 * before, "control converted " + before + "% a minute before the rollback and " + after + "% after");

        VariantTile controlTile = tiles.conversion().tiles().stream().filter(t -> t.key().equals("offer-banner/control"))
                .findFirst().orElseThrow();
        String moved = controlTile.movedProperty().get();
        assertTrue(moved.startsWith("moved in by a flag change: " + String.format(java.util.Locale.ROOT, "%,d", control.movedIn())),
                moved);
        assertFalse(controlTile.detailProperty().get().contains("moved"), controlTile.detailProperty().get());
    }

    /** Control's conversion over the minute before {@code atMillis}, in %, from the Timeline's sample at that second. */
    private static double rateAt(TimelineViewModel timeline, long atMillis) {
        List<TimelineViewModel.Sample> samples = timeline.samples();
        return samples.stream().filter(s -> s.atMillis() / 1000 == atMillis / 1000).findFirst().orElseThrow()
                .conversion().get("offer-banner/control");
    }
}
