package io.edgedeck.engine.guardrails;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnytimeBoundTest {

    @Test
    void shrinksWithSamplesAndScalesWithSigma() {
        double r100 = AnytimeBound.radius(100, 1, 0.05, 300);
        double r10k = AnytimeBound.radius(10_000, 1, 0.05, 300);
        assertTrue(r10k < r100 / 5, r100 + " vs " + r10k);
        assertEquals(2 * AnytimeBound.radius(500, 1, 0.05, 300), AnytimeBound.radius(500, 2, 0.05, 300), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, AnytimeBound.radius(0, 1, 0.05, 300));
    }

    @Test
    void widerThanAFixedSampleIntervalBecauseItMayBeCheckedAtEveryStep() {
        // A fixed-sample 95% interval is 1.96 sigma / sqrt(n).
        for (long n : new long[]{100, 300, 1000, 10_000}) {
            assertTrue(AnytimeBound.radius(n, 1, 0.05, 300) > 1.96 / Math.sqrt(n), "n=" + n);
        }
    }

    /**
     * The property the guardrails rely on: checked after every observation of a long stream of
     * pure noise, the running mean leaves the boundary in well under alpha of the streams.
     */
    @Test
    void noiseCheckedAtEveryStepRarelyCrossesTheBoundary() {
        SplittableRandom r = new SplittableRandom(42);
        int streams = 400;
        int crossed = 0;
        for (int s = 0; s < streams; s++) {
            double sum = 0;
            for (int n = 1; n <= 2000; n++) {
                sum += r.nextGaussian();
                if (n >= 30 && Math.abs(sum / n) > AnytimeBound.radius(n, 1, 0.05, 300)) {
                    crossed++;
                    break;
                }
            }
        }
        assertTrue(crossed <= streams * 0.05, crossed + " of " + streams + " streams crossed");
    }
}
