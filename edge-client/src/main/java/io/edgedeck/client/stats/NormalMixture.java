package io.edgedeck.client.stats;

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

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
        }
    }
}
