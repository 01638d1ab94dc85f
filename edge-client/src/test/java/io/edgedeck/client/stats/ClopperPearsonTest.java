package io.edgedeck.client.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClopperPearsonTest {

    @Test
    void noneInAHundredBoundsTheRateByTheRuleOfThree() {
        Estimate e = ClopperPearson.of(0, 100, 0.95);
        assertEquals(0, e.lower());
        // P(no success in 100) = 0.025 at the upper end
        assertEquals(1 - Math.pow(0.025, 0.01), e.upper(), 1e-9);
    }

    @Test
    void fiveInAHundredMatchesTheTabulatedExactInterval() {
        Estimate e = ClopperPearson.of(5, 100, 0.95);
        assertEquals(0.05, e.value(), 1e-12);
        assertEquals(0.01643, e.lower(), 5e-5);
        assertEquals(0.11284, e.upper(), 5e-5);
    }

    @Test
    void allSuccessesReachOne() {
        Estimate e = ClopperPearson.of(20, 20, 0.95);
        assertEquals(1, e.upper());
        assertEquals(Math.pow(0.025, 1.0 / 20), e.lower(), 1e-9);
    }

    @Test
    void impossibleCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClopperPearson.of(3, 2, 0.95));
        assertThrows(IllegalArgumentException.class, () -> ClopperPearson.of(0, 0, 0.95));
        assertThrows(IllegalArgumentException.class, () -> ClopperPearson.of(1, 10, 1.5));
    }
}
