package io.edgedeck.client.stats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The beta-binomial confidence sequence for an error rate on simulated request streams with fixed seeds. */
class BetaBinomialTest {
    private static final double ALPHA = 0.05;

    /** The lower bound (the end an error-rate rule decides on) stays under a true 1% however often checked. */
    @Test
    void aTrueErrorRateStaysAboveTheLowerBoundHoweverOftenChecked() {
        BetaBinomial mixture = new BetaBinomial(0.02);
        int runs = 300;
        int missed = 0;
        SplittableRandom r = new SplittableRandom(18);
        for (int run = 0; run < runs; run++) {
            long errors = 0;
            boolean miss = false;
            for (int n = 1; n <= 5000; n++) {
                if (r.nextDouble() < 0.01) errors++;
                if (n % 50 == 0) {
                    miss |= mixture.proportion(errors, n, ALPHA).lower() > 0.01;
                }
            }
            if (miss) missed++;
        }
        System.out.printf("error rate: the lower bound rose above the true 1%% in %d of %d streams checked every 50 requests (alpha %.2f)%n",
                missed, runs, ALPHA);
        assertTrue((double) missed / runs < ALPHA, missed + " of " + runs);
    }

    @Test
    void eachBoundIsWhereItsOneSidedEValueReachesTheBar() {
        BetaBinomial mixture = new BetaBinomial(0.02);
        Estimate e = mixture.proportion(30, 1000, ALPHA);
        assertEquals(0.03, e.value(), 1e-12);
        double bar = Math.log(1 / ALPHA);
        assertTrue(mixture.logEValue(30, 1000, e.lower() * 0.999, +1) >= bar);
        assertTrue(mixture.logEValue(30, 1000, e.lower() * 1.01, +1) < bar);
        assertTrue(mixture.logEValue(30, 1000, e.upper() * 1.001, -1) >= bar);
        assertTrue(mixture.proportion(0, 1000, ALPHA).upper() < 0.02, "a thousand clean requests say under 2%");
        assertTrue(Double.isNaN(mixture.proportion(0, 0, ALPHA).value()));
    }

    @Test
    void eachPeriodGetsAShareAndTheSharesSumToOne() {
        double total = 0;
        for (long k = 0; k < 1_000_000; k++) {
            total += AlphaSpending.share(k);
        }
        assertEquals(1.0, total, 1e-5);
        assertEquals(0.9, AlphaSpending.share(0), 1e-15);
        assertEquals(0.05, AlphaSpending.share(1), 1e-15);
        assertEquals(0.1 / 12, AlphaSpending.share(3), 1e-15);
    }
    /**
     * The accepted counts are where rejection turns to acceptance, wherever the search starts: a
     * scan of every count agrees with the search from the centre and from guesses near and far.
     */
    @Test
    void acceptedCountsAreTheSameWhateverTheGuess() {
        for (double p : new double[]{0.5, 0.95, 0.99}) {
            BetaBinomial mixture = new BetaBinomial(p);
            for (double alpha : new double[]{0.0045, 0.00025, 1e-6}) {
                double bar = Math.log(1 / alpha);
                for (long n : new long[]{1, 7, 60, 333, 1000, 2500}) {
                    long lowest = n;
                    for (long k = 0; k <= n; k++) {
                        if (mixture.logEValue(k, n, p, -1) < bar) {
                            lowest = k;
                            break;
                        }
                    }
                    long highest = 0;
                    for (long k = n; k >= 0; k--) {
                        if (mixture.logEValue(k, n, p, +1) < bar) {
                            highest = k;
                            break;
                        }
                    }
                    long[] expected = {lowest, highest};
                    String where = "p " + p + ", alpha " + alpha + ", n " + n;
                    assertArrayEquals(expected, mixture.acceptedCounts(n, p, alpha), where);
                    for (long guess : new long[]{-5, 0, 1, lowest - 1, lowest, lowest + 1, highest - 1, highest, highest + 1, n / 3, n, n + 9}) {
                        assertArrayEquals(expected, mixture.acceptedCounts(n, p, alpha, guess, guess), where + ", guess " + guess);
                    }
                }
            }
        }
    }
}
