package io.edgedeck.console.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Linear scales in round numbers: steps of 1, 2 or 5 times a power of ten up to a round top (the tops themselves are
 * TimelineLegendTest's, through TimelineView.roundTop).
 */
class RoundScaleTest {
    @Test
    void aScaleStepsInRoundNumbersNeverInQuarters() {
        // 100 in fifths of 20, not quarters of 25; 20 in quarters of 5; 1,000 in fifths of 200, not quarters of 250.
        assertEquals(20, RoundScale.step(100, 4), 1e-9);
        assertEquals(5, RoundScale.step(20, 4), 1e-9);
        assertEquals(10, RoundScale.step(40, 4), 1e-9);
        assertEquals(50, RoundScale.step(200, 4), 1e-9);
        assertEquals(200, RoundScale.step(1000, 4), 1e-9);
        assertEquals(2, RoundScale.step(10, 4), 1e-9);
        assertEquals(0.1, RoundScale.step(0.4, 4), 1e-12);
    }
}
