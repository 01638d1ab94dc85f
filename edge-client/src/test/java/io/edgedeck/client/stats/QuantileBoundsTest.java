package io.edgedeck.client.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order-statistic bounds for a quantile on simulated latency streams with fixed seeds, checked as
 * the stream grows.
 */
class QuantileBoundsTest {
    private static final double ALPHA = 0.05;

    /** Lognormal latency around 20 ms: its p95 is exp(mu + 1.6449 sigma). */
    @Test
    void theTrueP95StaysBetweenTheBoundsAsTheSampleGrows() {
        double mu = Math.log(20);
        double sigma = 0.4;
        double p95 = Math.exp(mu + 1.6448536 * sigma);
        int runs = 200;
        int missedLow = 0;
        int missedHigh = 0;
        SplittableRandom r = new SplittableRandom(18);
        for (int run = 0; run < runs; run++) {
            double[] sample = new double[4000];
            boolean missLow = false;
            boolean missHigh = false;
            for (int n = 1; n <= sample.length; n++) {
                sample[n - 1] = Math.exp(mu + sigma * gaussian(r));
                if (n % 100 == 0) {
                    double[] sorted = Arrays.copyOf(sample, n);
                    Arrays.sort(sorted);
                    QuantileBounds.Ranks ranks = QuantileBounds.ranks(n, 0.95, ALPHA);
                    double lower = ranks.lower() == 0 ? 0 : sorted[(int) ranks.lower() - 1];
                    double upper = ranks.upper() > n ? Double.POSITIVE_INFINITY : sorted[(int) ranks.upper() - 1];
                    missLow |= p95 < lower;
                    missHigh |= p95 > upper;
                }
            }
            if (missLow) missedLow++;
            if (missHigh) missedHigh++;
        }
        System.out.printf("quantile bounds: the true p95 fell below the lower bound in %d and above the upper in %d of %d"
                + " streams checked every 100 requests (alpha %.2f each)%n", missedLow, missedHigh, runs, ALPHA);
        assertTrue((double) missedLow / runs < ALPHA, missedLow + " of " + runs);
        assertTrue((double) missedHigh / runs < ALPHA, missedHigh + " of " + runs);
    }

    @Test
    void theBoundsNarrowAroundTheQuantileRank() {
        QuantileBounds.Ranks small = QuantileBounds.ranks(1000, 0.95, ALPHA);
        QuantileBounds.Ranks large = QuantileBounds.ranks(100_000, 0.95, ALPHA);
        assertTrue(small.lower() < 950 && small.upper() > 950, small.toString());
        assertTrue(large.lower() < 95_000 && large.upper() > 95_000, large.toString());
        assertTrue((large.upper() - large.lower()) / 100_000.0 < (small.upper() - small.lower()) / 1000.0);
        assertEquals(11, QuantileBounds.ranks(10, 0.95, ALPHA).upper(), "ten requests put no upper bound on a p95");
        QuantileBounds.Ranks clustered = QuantileBounds.ranks(100_000, 1000, 0.95, ALPHA);
        QuantileBounds.Ranks thousand = QuantileBounds.ranks(1000, 0.95, ALPHA);
        assertEquals(thousand.lower() * 100, clustered.lower(), 100, "a thousand clusters bound like a thousand observations");
        assertTrue(clustered.upper() - clustered.lower() > 50 * (large.upper() - large.lower()) / 10, clustered.toString());
        assertEquals(950, QuantileBounds.estimateRank(1000, 0.95));
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
