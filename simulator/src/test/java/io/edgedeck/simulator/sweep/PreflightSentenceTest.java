package io.edgedeck.simulator.sweep;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A pre-flight's sentence claims only what its shows measured. */
class PreflightSentenceTest {

    private static String sentence(int shows, int caught) {
        return new Preflight.RuleEstimate("price-guard", new Effect.ConversionChange(-0.2), true, shows, caught, 368.0, 368.0, shows, 0)
                .sentence();
    }

    @Test
    void fewCatchesGiveNoNineInTenTime() {
        assertEquals("would catch -20% conversion in ~6 min 08 s (caught in 1 of 2 shows); false rollbacks 0 in 2 shows", sentence(2, 1));
        assertEquals("would catch -20% conversion in ~6 min 08 s (caught in 9 of 9 shows); false rollbacks 0 in 9 shows", sentence(9, 9));
    }

    @Test
    void tenCatchesOrMoreGiveWhereNineInTenFall() {
        assertEquals("would catch -20% conversion in ~6 min 08 s (9 in 10 within 6 min 08 s; caught in 17 of 20 shows);"
                + " false rollbacks 0 in 20 shows", sentence(20, 17));
    }
}
