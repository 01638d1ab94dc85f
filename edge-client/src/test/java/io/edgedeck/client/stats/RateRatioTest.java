package io.edgedeck.client.stats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rate-ratio confidence sequence on simulated event streams with fixed seeds: its error rate
 * when it is checked after every few events, its coverage of a true ratio other than 1, and how
 * soon it sees a known effect.
 */
class RateRatioTest {
    private static final double ALPHA = 0.05;

    /**
     * Identical arms with unequal exposure (the variant gets 40%), checked every 5 events up to
     * 3,000 events: the share of streams in which the upper bound ever falls below a ratio of 1 stays
     * under alpha, and likewise the lower bound above it. A fixed-sample 95% interval checked that
     * often leaves 1 far more often.
     */
    @Test
    void identicalArmsRarelyLookDifferentHoweverOftenChecked() {
        int runs = 500;
        int below = 0;
        int above = 0;
        int fixedSampleWrong = 0;
        SplittableRandom random = new SplittableRandom(18);
        for (int run = 0; run < runs; run++) {
            long x = 0;
            long y = 0;
            boolean upperBelow = false;
            boolean lowerAbove = false;
            boolean fixedExcluded = false;
            for (int event = 1; event <= 3000; event++) {
                if (random.nextDouble() < 0.4) x++; else y++;
                if (event % 5 == 0 && y > 0) {
                    upperBelow |= RateRatio.logEValue(x, y, 4, 6, 1, -1) >= Math.log(1 / ALPHA);
                    lowerAbove |= RateRatio.logEValue(x, y, 4, 6, 1, +1) >= Math.log(1 / ALPHA);
                    double z = (x - 0.4 * event) / Math.sqrt(event * 0.24);
                    fixedExcluded |= Math.abs(z) > 1.96;
                }
            }
            if (upperBelow) below++;
            if (lowerAbove) above++;
            if (fixedExcluded) fixedSampleWrong++;
        }
        System.out.printf("rate ratio, identical arms: the upper bound fell below 1 in %d and the lower bound rose above it"
                + " in %d of %d streams checked every 5 events (alpha %.2f each); a fixed-sample interval left 1 in %d%n",
                below, above, runs, ALPHA, fixedSampleWrong);
        assertTrue((double) below / runs < ALPHA, below + " of " + runs);
        assertTrue((double) above / runs < ALPHA, above + " of " + runs);
        // the point of an anytime-valid interval: peeking breaks the fixed-sample one
        assertTrue((double) fixedSampleWrong / runs > 3 * ALPHA, fixedSampleWrong + " of " + runs);
    }

    @Test
    void eachBoundIsWhereItsOneSidedTestStopsRejecting() {
        Estimate e = RateRatio.of(70, 100, 1000, 1000, ALPHA);
        assertEquals(0.7, e.value(), 1e-12);
        double bar = Math.log(1 / ALPHA);
        assertTrue(RateRatio.logEValue(70, 100, 1000, 1000, e.upper() * 1.001, -1) >= bar);
        assertTrue(RateRatio.logEValue(70, 100, 1000, 1000, e.upper() * 0.999, -1) < bar);
        assertTrue(RateRatio.logEValue(70, 100, 1000, 1000, e.lower() * 0.999, +1) >= bar);
        assertTrue(RateRatio.logEValue(70, 100, 1000, 1000, e.lower() * 1.001, +1) < bar);
        assertTrue(e.contains(1));
        // ten times the data, the same ratio: now the upper bound is below 1
        assertTrue(RateRatio.of(700, 1000, 10000, 10000, ALPHA).wholeBelow(1));
    }

    /** The upper bound stays above a true ratio of 0.7 in all but a few streams. */
    @Test
    void aTrueRatioOtherThanOneStaysUnderTheUpperBound() {
        int runs = 300;
        int missed = 0;
        SplittableRandom random = new SplittableRandom(25);
        double p = 0.5 * 0.7 / (0.5 * 0.7 + 0.5);
        for (int run = 0; run < runs; run++) {
            long x = 0;
            long y = 0;
            boolean miss = false;
            for (int event = 1; event <= 2000; event++) {
                if (random.nextDouble() < p) x++; else y++;
                if (event % 20 == 0 && y > 0) {
                    miss |= RateRatio.of(x, y, 1, 1, ALPHA).upper() < 0.7;
                }
            }
            if (miss) missed++;
        }
        assertTrue((double) missed / runs < ALPHA, missed + " of " + runs);
    }

    /** A variant converting 30% worse at equal exposure: seen within 800 conversions in almost every stream. */
    @Test
    void aThirtyPercentDropIsSeenWithinAFewHundredConversions() {
        int runs = 200;
        int seen = 0;
        SplittableRandom random = new SplittableRandom(19);
        double p = 0.7 / 1.7;
        for (int run = 0; run < runs; run++) {
            long x = 0;
            long y = 0;
            for (int event = 1; event <= 800; event++) {
                if (random.nextDouble() < p) x++; else y++;
                if (event % 5 == 0 && RateRatio.of(x, y, 1, 1, ALPHA).wholeBelow(1)) {
                    seen++;
                    break;
                }
            }
        }
        System.out.printf("rate ratio, a 30%% drop: seen within 800 conversions in %d of %d streams%n", seen, runs);
        assertTrue(seen >= 190, seen + " of " + runs);
    }

    @Test
    void oneSidedDataStillGetsAFiniteBoundOnTheOtherSide() {
        Estimate none = RateRatio.of(0, 100, 1000, 1000, ALPHA);
        assertEquals(0, none.value());
        assertEquals(0, none.lower());
        assertTrue(none.upper() < 0.5, "upper " + none.upper());
        Estimate all = RateRatio.of(100, 0, 1000, 1000, ALPHA);
        assertTrue(Double.isInfinite(all.upper()));
        assertTrue(all.lower() > 2, "lower " + all.lower());
        assertTrue(Double.isNaN(RateRatio.of(0, 0, 10, 10, ALPHA).value()));
    }

    /**
     * The likelihood shares one log(1 + e^-|logit|) between its two terms; it is bit for bit the sum
     * of the two log-sigmoids it stands for, at random logits and counts and at the edges (signed
     * zeros, infinities, NaN, the far ends the searches walk to).
     */
    @Test
    void likelihoodIsExactlyTheSumOfItsTwoLogSigmoids() {
        SplittableRandom random = new SplittableRandom(24);
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, 40, -40, 745, -745, 800, -800,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        long[] counts = {0, 1, 2, 7, 450, 123_456, 1L << 40};
        for (double logit : edges) {
            for (long x : counts) {
                for (long y : counts) {
                    assertSameBits(x * RateRatio.logSigmoid(logit) + y * RateRatio.logSigmoid(-logit),
                            RateRatio.logLikelihood(x, y, logit), x, y, logit);
                }
            }
        }
        for (int i = 0; i < 1_000_000; i++) {
            double logit = switch (i % 3) {
                case 0 -> (random.nextDouble() - 0.5) * 20;
                case 1 -> (random.nextDouble() - 0.5) * 2 * RateRatio.FAR;
                default -> Math.scalb(random.nextDouble() - 0.5, random.nextInt(-60, 12));
            };
            long x = random.nextLong(0, i % 2 == 0 ? 50 : 100_000);
            long y = random.nextLong(0, i % 2 == 0 ? 50 : 100_000);
            assertSameBits(x * RateRatio.logSigmoid(logit) + y * RateRatio.logSigmoid(-logit),
                    RateRatio.logLikelihood(x, y, logit), x, y, logit);
        }
    }

    private static void assertSameBits(double expected, double actual, long x, long y, double logit) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                () -> "x " + x + ", y " + y + ", logit " + logit + ": " + expected + " against " + actual);
    }
}
