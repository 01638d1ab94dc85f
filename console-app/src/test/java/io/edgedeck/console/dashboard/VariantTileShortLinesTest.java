package io.edgedeck.console.dashboard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A variant tile too narrow for its key line says it in fewer words rather than end in an ellipsis. */
class VariantTileShortLinesTest {
    @Test
    void theLiftAndARollbackHaveShorterFormsTheTileFallsBackTo() {
        assertEquals(List.of("lift +8.8% · not clear yet"), ShowTilesView.shorterLines("lift +8.8% · not clear yet (n = 1,777)"));
        assertEquals(List.of("rolled back at 11:12:49 UTC"), ShowTilesView.shorterLines("rolled back at 11:12:49 UTC by admin"));
        assertEquals(List.of(), ShowTilesView.shorterLines("lift +2.0% vs control"), "nothing to leave out: no shorter form");
    }
}
