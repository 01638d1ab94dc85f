package io.edgedeck.console.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Linear scales in round numbers: a top whose middle is 1, 2 or 5 times a power of ten, and steps that are too. */
class RoundScaleTest {
    @Test
    void theTopsMiddleIsARoundNumber() {
        assertEquals(200, RoundScale.top(187.5), 1e-9);
        assertEquals(100, RoundScale.top(94.5), 1e-9);
        assertEquals(20, RoundScale.top(15.75), 1e-9);
        assertEquals(0.4, RoundScale.top(0.3), 1e-12);
    }

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
