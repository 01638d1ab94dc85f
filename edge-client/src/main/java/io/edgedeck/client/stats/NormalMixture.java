package io.edgedeck.client.stats;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.Erfcx;

/**
 * The normal-mixture boundary (Robbins 1970; Howard, Ramdas, McAuliffe and Sekhon, "Time-uniform,
 * nonparametric, nonasymptotic confidence sequences", Annals of Statistics 2021; the mixture
 * sequential probability ratio test of Johari, Pekelis and Walsh, "Always valid inference", 2017).
 *
 * <p>For a statistic S that under the null is a sum of independent mean-zero increments with
 * variance V (Gaussian, or approximately so by the central limit theorem), the mixture of the
 * likelihood ratios of every mean shift, weighted by N(0, tau^2),
 * <pre>  Lambda = sqrt(V / (V + tau^2)) exp( S^2 tau^2 / (2 V (V + tau^2)) )</pre>
 * is a nonnegative martingale with mean 1, so by Ville's inequality it exceeds 1/alpha at any time at
 * all with probability at most alpha. {@code |S| < radius(V)} is the same event, so S plus or minus
 * the radius is a confidence sequence: valid however often it is looked at.
 *
 * <p>Weighting only the shifts on one side, by a half-normal, gives the one-sided mixture
 * <pre>  Lambda+ = 2 sqrt(V / (V + tau^2)) exp( S^2 tau^2 / (2 V (V + tau^2)) ) Phi( S tau / sqrt(V (V + tau^2)) )</pre>
 * and S less {@link #oneSidedRadius} is a lower bound that holds at every moment with probability
 * at least 1 - alpha (and S plus it an upper bound, likewise).
 */
public final class NormalMixture {
    private NormalMixture() {
    }

    /**
     * The half-width beyond which the mixture rejects, for a statistic of variance {@code variance}
     * and the mixing standard deviation {@code priorSd} (in the statistic's unit).
     */
    public static double radius(double variance, double priorSd, double alpha) {
        checkAlpha(alpha);
        if (variance == 0) {
            return 0;
        }
        if (!(variance > 0) || Double.isInfinite(variance)) {
            return Double.POSITIVE_INFINITY;
        }
        double t2 = priorSd * priorSd;
        return Math.sqrt(variance * (variance + t2) / t2 * (Math.log((variance + t2) / variance) + 2 * Math.log(1 / alpha)));
    }

    /** The natural log of the mixture likelihood ratio Lambda for the statistic {@code s}. */
    public static double logEValue(double s, double variance, double priorSd) {
        if (!(variance > 0)) {
            return 0;
        }
        double t2 = priorSd * priorSd;
        return 0.5 * Math.log(variance / (variance + t2)) + s * s * t2 / (2 * variance * (variance + t2));
    }

    /**
     * The natural log of the one-sided mixture Lambda+ for the statistic {@code s}: evidence that
     * its mean is above 0.
     */
    public static double logOneSidedEValue(double s, double variance, double priorSd) {
        if (!(variance > 0)) {
            return 0;
        }
        double t2 = priorSd * priorSd;
        double x = s * priorSd / Math.sqrt(variance * (variance + t2)) / Math.sqrt(2);
        // log Phi(sqrt(2) x) = log(erfc(-x) / 2), kept finite far in either tail with erfcx
        double logPhi = x >= 0 ? Math.log1p(-0.5 * Erfc.value(x)) : Math.log(0.5 * Erfcx.value(-x)) - x * x;
        return Math.log(2) + 0.5 * Math.log(variance / (variance + t2)) + s * s * t2 / (2 * variance * (variance + t2)) + logPhi;
    }

    /**
     * The distance from the statistic to its one-sided bound: the s at which the one-sided mixture
     * reaches 1/alpha.
     */
    public static double oneSidedRadius(double variance, double priorSd, double alpha) {
        checkAlpha(alpha);
        if (variance == 0) {
            return 0;
        }
        if (!(variance > 0) || Double.isInfinite(variance)) {
            return Double.POSITIVE_INFINITY;
        }
        double bar = Math.log(1 / alpha);
        double t2 = priorSd * priorSd;
        double c = t2 / (2 * variance * (variance + t2));
        double k = priorSd / Math.sqrt(variance * (variance + t2));
        // Newton from the two-sided radius at twice alpha, which the answer lies just above: log
        // Lambda+ is increasing and convex in s there, so the steps approach it from one side.
        double s = radius(variance, priorSd, Math.min(0.999, 2 * alpha));
        for (int i = 0; i < 30; i++) {
            double f = logOneSidedEValue(s, variance, priorSd) - bar;
            if (Math.abs(f) < 1e-10) {
                break;
            }
            double z = s * k;
            double millsRatio = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) / (1 - 0.5 * Erfc.value(z / Math.sqrt(2)));
            double slope = 2 * s * c + k * millsRatio;
            s = Math.max(s / 2, s - f / slope);
        }
        // err wide: the radius returned is never short of the crossing
        while (logOneSidedEValue(s, variance, priorSd) < bar) {
            s *= 1 + 1e-9;
        }
        return s;
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
        }
    }
}
