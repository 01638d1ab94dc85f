package io.edgedeck.console.dashboard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A variant tile too narrow for its key line says it in fewer words rather than end in an ellipsis. */
class VariantTileShortLinesTest {
    @Test
    void theLiftAndAnActedLineHaveShorterFormsTheTileFallsBackTo() {
        assertEquals(List.of("lift +8.8% · not clear yet"), ShowTilesView.shorterLines("lift +8.8% · not clear yet (n = 1,777)"));
        assertEquals(List.of("rolled back at 11:12:49 UTC", "rolled back at 11:12:49", "rolled back at 11:12"),
                ShowTilesView.shorterLines("rolled back at 11:12:49 UTC by admin"));
        assertEquals(List.of("killed at 14:22:52 UTC", "killed at 14:22:52", "killed at 14:22"),
                ShowTilesView.shorterLines("killed at 14:22:52 UTC by the fleet's aggregator"));
        assertEquals(List.of("paused at 05:21"), ShowTilesView.shorterLines("paused at 05:21 by sentiment-guard"), "a rehearsal's time has no seconds to drop");
        assertEquals(List.of("rolled back at 11:12:49 UTC\nmoved in: 3,366 (133 conv.)", "rolled back at 11:12:49 UTC\nmoved in: 3,366",
                        "rolled back at 11:12:49\nmoved in: 3,366", "rolled back at 11:12\nmoved in: 3,366"),
                ShowTilesView.shorterLines("rolled back at 11:12:49 UTC", "moved in by a flag change: 3,366 (133 converted)",
                        "moved in: 3,366 (133 conv.)", "moved in: 3,366"));
        assertEquals(List.of(), ShowTilesView.shorterLines("lift +2.0% vs control"), "nothing to leave out: no shorter form");
    }
}
