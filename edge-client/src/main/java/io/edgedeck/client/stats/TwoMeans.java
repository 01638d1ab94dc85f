package io.edgedeck.client.stats;

/**
 * Anytime-valid confidence sequences for the difference of two means, and for the relative change
 * of the first against the second (Fieller's construction on the same boundary).
 *
 * <p>Guarantee: each end of the interval is a one-sided bound that holds at every moment it is
 * computed, however often, with probability at least 1 - alpha (so the two together with at least
 * 1 - 2 alpha): a guardrail decides on one end at a time. Assumptions: within each arm the observations are
 * independent with one mean and a finite variance, and the arms grow at a roughly steady ratio; the
 * boundary is the normal mixture ({@link NormalMixture}) on the difference with its variance
 * estimated from the data, so the guarantee is asymptotic (it holds as the counts grow; below a few
 * dozen observations per arm a caller should not decide). A floor on each arm's standard deviation
 * keeps a handful of identical values from looking like certainty.
 */
public final class TwoMeans {
    private TwoMeans() {
    }

    /**
     * The difference {@code a.mean - b.mean}.
     *
     * @param priorSd the mixing standard deviation, in the observations' unit: the size of the
     *                differences the boundary is most sensitive to
     * @param minSd   floor on each arm's standard deviation
     */
    public static Estimate difference(Moments a, Moments b, double alpha, double priorSd, double minSd) {
        NormalMixture.checkAlpha(alpha);
        if (a.n() == 0 || b.n() == 0) {
            return new Estimate(0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double d = a.mean() - b.mean();
        double r = NormalMixture.oneSidedRadius(variance(a, b, 1, minSd), priorSd, alpha);
        return new Estimate(d, d - r, d + r);
    }

    /**
     * The relative change {@code (a.mean - b.mean) / max(|b.mean|, floor)}: how much higher (or lower)
     * the first arm's mean is, as a share of the second's. The floor keeps a mean near zero from
     * turning a wobble into a huge relative change.
     *
     * <p>The denominator is positive, so the change has the sign of the difference, and its interval
     * excludes 0 exactly when {@link #difference}'s does: a decision on "worse than the second arm" is
     * the difference's decision, at its level.
     *
     * <p>Where the second arm's mean is clearly away from zero (|b.mean| above the floor and its own
     * confidence sequence at the same alpha excluding zero), the change is r = (a - b) / |b|, so
     * "r = r0" is the linear statement a - (1 + sign(b) r0) b = 0, and the interval is every r0 for
     * which that contrast's own confidence sequence contains zero (Fieller). Otherwise the second
     * arm's mean may be zero or of either sign, Fieller's set is unbounded, and the change's size is
     * not bounded on the side away from zero: that end is infinite (no bound). The end on the side of
     * zero is the difference's end divided by the largest the denominator can be, {@code
     * max(maxAbsMean, floor)}, where {@code maxAbsMean} bounds |b.mean| (1 for scores in [-1, 1]): it
     * holds at the difference's level, whatever the second arm's mean is. So near zero the interval
     * says which way the change goes and at least how far, never a share of a mean nobody knows.
     */
    public static Estimate relativeChange(Moments a, Moments b, double floor, double maxAbsMean, double alpha,
                                          double priorSd, double minSd) {
        Estimate diff = difference(a, b, alpha, priorSd, minSd);
        if (a.n() == 0 || b.n() == 0) {
            return new Estimate(0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double mb = b.mean();
        double estimate = relativeChangeValue(a, b, floor);
        if (Math.abs(mb) <= floor || !clearOfZero(b, alpha, priorSd, minSd)) {
            double largest = Math.max(maxAbsMean, floor);
            double lower = diff.lower() < 0 ? Double.NEGATIVE_INFINITY : diff.lower() / largest;
            double upper = diff.upper() > 0 ? Double.POSITIVE_INFINITY : diff.upper() / largest;
            return new Estimate(estimate, Math.min(lower, estimate), Math.max(upper, estimate));
        }
        double sign = Math.signum(mb);
        // accepted(r0) <=> |a - g b| <= radius(Var a / n + g^2 Var b / n), g = 1 + sign r0
        java.util.function.DoublePredicate accepted = r0 -> {
            double g = 1 + sign * r0;
            double contrast = a.mean() - g * mb;
            return Math.abs(contrast) <= NormalMixture.oneSidedRadius(variance(a, b, g, minSd), priorSd, alpha);
        };
        double lower = Search.edge(accepted, estimate, -1, 1e-6);
        double upper = Search.edge(accepted, estimate, +1, 1e-6);
        return new Estimate(estimate, Math.min(lower, estimate), Math.max(upper, estimate));
    }

    /** Whether an arm's own confidence sequence for its mean, at {@code alpha} each side, excludes zero. */
    private static boolean clearOfZero(Moments b, double alpha, double priorSd, double minSd) {
        double vb = Math.max(b.variance(), minSd * minSd) / b.n();
        return Math.abs(b.mean()) > NormalMixture.oneSidedRadius(vb, priorSd, alpha);
    }

    /**
     * The value {@link #relativeChange} gives, to the last bit, without its interval: 0 when an arm is
     * empty, else {@code (a.mean - b.mean) / max(|b.mean|, floor)}.
     */
    public static double relativeChangeValue(Moments a, Moments b, double floor) {
        if (a.n() == 0 || b.n() == 0) {
            return 0;
        }
        double mb = b.mean();
        return (a.mean() - mb) / (Math.abs(mb) <= floor ? floor : Math.abs(mb));
    }

    private static double variance(Moments a, Moments b, double g, double minSd) {
        double va = Math.max(a.variance(), minSd * minSd) / a.n();
        double vb = Math.max(b.variance(), minSd * minSd) / b.n();
        return va + g * g * vb;
    }

}
