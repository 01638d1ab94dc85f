package io.edgedeck.engine.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Rfc3550JitterTest {

    /**
     * Worked by hand from RFC 3550 6.4.1, J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16:
     * transits 10, 14, 11, 11, 27 give D = 4, 3, 0, 16 and
     * J = 0.25; 0.25 + (3 - 0.25)/16 = 0.421875; 0.421875 - 0.421875/16 = 0.3955078125;
     * 0.3955078125 + (16 - 0.3955078125)/16 = 1.370788574...
     */
    @Test
    void followsTheRfcRecurrenceOnAHandWorkedSequence() {
        Rfc3550Jitter j = new Rfc3550Jitter();
        j.record(10);
        assertEquals(0.0, j.value());
        j.record(14);
        assertEquals(0.25, j.value(), 1e-12);
        j.record(11);
        assertEquals(0.421875, j.value(), 1e-12);
        j.record(11);
        assertEquals(0.3955078125, j.value(), 1e-12);
        j.record(27);
        assertEquals(0.3955078125 + (16 - 0.3955078125) / 16, j.value(), 1e-12);
    }

    @Test
    void constantTransitHasNoJitterAndAlternatingTransitConvergesToTheStep() {
        Rfc3550Jitter flat = new Rfc3550Jitter();
        for (int i = 0; i < 100; i++) {
            flat.record(42);
        }
        assertEquals(0.0, flat.value());
        Rfc3550Jitter alternating = new Rfc3550Jitter();
        for (int i = 0; i < 1000; i++) {
            alternating.record(i % 2 == 0 ? 10 : 20);
        }
        assertEquals(10.0, alternating.value(), 1e-9);
    }
}
