package io.edgedeck.client.stats;

/**
 * An anytime-valid confidence sequence for the ratio of two event rates per exposure, for example
 * checkouts per exposed session in a variant over the same in control.
 *
 * <p>Model: events (conversions) arrive one at a time from either arm; given that one arrives, it
 * comes from the variant with probability {@code p = s theta / (s theta + 1 - s)}, where theta is
 * the ratio of the arms' rates per exposure and s is the variant's share of the exposures. This is
 * the conditional test for two Poisson rates with known exposures (Przyborowski and Wilenski 1940),
 * made sequential by mixing the likelihood ratio over theta. For the upper bound, the mixture runs
 * over the ratios below each candidate theta0, log theta = log theta0 - {@value #PRIOR_SD} |z| with z
 * standard normal (on a grid of 70 points):
 * <pre>  M(theta0) = sum_g w_g L(theta_g) / L(theta0)</pre>
 * is a nonnegative martingale with mean 1 while the ratio really is theta0, so by Ville's inequality
 * it ever reaches 1/alpha with probability at most alpha. The upper bound is the largest theta0 it
 * does not reject; the lower bound likewise with the ratios above. Each end holds, at every moment
 * at once, with probability at least 1 - alpha. A test of theta directly handles a relative
 * threshold without a delta method. A guardrail reads one end only (harm is one-sided: the upper
 * bound below 1 establishes that the variant converts worse), at the full alpha its condition has.
 *
 * <p>The spread {@value #PRIOR_SD} is chosen for the drops guardrails care about: a normal mixture of
 * spread tau is tightest near (2 log(1/alpha) + log(1 + 2 log(1/alpha))) / tau^2 units of information
 * (Howard, Ramdas, McAuliffe and Sekhon 2021), and n conversions at an even split carry n / 4; at
 * alpha = 0.018 that is about 450 conversions, where drops of 20% to 35% are decided. Spreads of 0.2
 * and 0.4 need within a few percent as many conversions (docs/GUARDRAILS.md has the table).
 *
 * <p>Assumptions: conversions are independent events, and the arms' shares of the sessions able
 * to convert match their shares of the exposures counted (true when assignment is random at fixed
 * weights; a session converting twice makes two correlated events, which the model treats as
 * independent). Conversions lag exposures by the session's dwell; under the model that lag is the
 * same in both arms and cancels.
 *
 * <p>The exposures, not exposure time, give the share s. A log-rank test (and its anytime-valid
 * version) or a Poisson test on exposure-seconds is the same construction with s taken from each
 * arm's units at risk, weighted by the hazard at their age or by their seconds since exposure; with
 * assignment at random at fixed weights the arms' units have the same ages, so every such share is
 * the exposures' share up to sampling noise and each conversion carries the same information. Units
 * that have not converted yet enter only through s. Side by side on the development shows the
 * exposure-seconds share changed the first firing by a few seconds either way and the count within
 * the 3-minute floor not at all (docs/GUARDRAILS.md, "Not a test on exposure time").
 */
public final class RateRatio {
    /** Scale of the half-normal prior on log theta: most sensitive to changes of 10% to 50%. */
    public static final double PRIOR_SD = 0.3;
    /** A log ratio far enough out to stand for an infinite one: e^40. */
    static final double FAR = 40;
    /** Distances below or above theta0, in log ratio, and the log of their prior weights. */
    private static final double[] STEPS;
    private static final double[] LOG_WEIGHTS;

    static {
        // the half-normal at the middles of 70 cells of 0.1 standard deviations, out to 7: a
        // discrete prior, for which the mixture is exactly a martingale
        int cells = 70;
        STEPS = new double[cells];
        LOG_WEIGHTS = new double[cells];
        double total = 0;
        for (int i = 0; i < cells; i++) {
            double z = (i + 0.5) * 0.1;
            STEPS[i] = PRIOR_SD * z;
            total += Math.exp(-z * z / 2);
        }
        for (int i = 0; i < cells; i++) {
            double z = (i + 0.5) * 0.1;
            LOG_WEIGHTS[i] = -z * z / 2 - Math.log(total);
        }
    }

    private RateRatio() {
    }

    /**
     * The ratio (variant events / variant exposure) / (control events / control exposure) and its
     * bounds, each at level 1 - alpha. With no control events there is nothing to divide by: the
     * estimate is infinite, or NaN when neither arm has an event, and callers should wait.
     */
    public static Estimate of(long variantEvents, long controlEvents, double variantExposure, double controlExposure,
                              double alpha) {
        NormalMixture.checkAlpha(alpha);
        check(variantEvents, controlEvents, variantExposure, controlExposure);
        double offset = Math.log(variantExposure / controlExposure);
        long x = variantEvents;
        long y = controlEvents;
        if (x + y == 0) {
            return new Estimate(Double.NaN, 0, Double.POSITIVE_INFINITY);
        }
        double estimate = pointEstimate(x, y, variantExposure, controlExposure);
        double bar = Math.log(1 / alpha);
        double mle = x == 0 ? Double.NEGATIVE_INFINITY : y == 0 ? Double.POSITIVE_INFINITY : Math.log((double) x / y) - offset;
        // With no events on one side the likelihood peaks at an infinite ratio: walk from far out.
        double start = Double.isInfinite(mle) ? Math.copySign(FAR, mle) : mle;
        double lower = x == 0 ? Double.NEGATIVE_INFINITY
                : Search.edge(eta -> logEValue(x, y, offset, eta, +1) < bar, start, -1, 1e-4);
        double upper = y == 0 ? Double.POSITIVE_INFINITY
                : Search.edge(eta -> logEValue(x, y, offset, eta, -1) < bar, start, +1, 1e-4);
        return new Estimate(estimate, Math.min(Math.exp(lower), estimate), Math.max(Math.exp(upper), estimate));
    }

    /**
     * The ratio's point estimate alone, as {@link #of} gives it: 0 with no variant events, infinite
     * with none in control, NaN with none at all.
     */
    public static double pointEstimate(long variantEvents, long controlEvents, double variantExposure, double controlExposure) {
        if (variantEvents + controlEvents == 0) {
            return Double.NaN;
        }
        return variantEvents == 0 ? 0 : controlEvents == 0 ? Double.POSITIVE_INFINITY
                : Math.exp(Math.log((double) variantEvents / controlEvents) - Math.log(variantExposure / controlExposure));
    }

    /**
     * The natural log of the one-sided mixture e-value against "the ratio is {@code ratio0}", from
     * the ratios below it ({@code direction} -1: evidence the ratio is lower) or above it (+1).
     */
    public static double logEValue(long variantEvents, long controlEvents, double variantExposure, double controlExposure,
                                   double ratio0, int direction) {
        check(variantEvents, controlEvents, variantExposure, controlExposure);
        return logEValue(variantEvents, controlEvents, Math.log(variantExposure / controlExposure), Math.log(ratio0), direction);
    }

    private static double logEValue(long x, long y, double offset, double eta0, int direction) {
        double[] terms = new double[STEPS.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < STEPS.length; i++) {
            terms[i] = LOG_WEIGHTS[i] + logLikelihood(x, y, eta0 + direction * STEPS[i] + offset);
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum) - logLikelihood(x, y, eta0 + offset);
    }

    private static void check(long x, long y, double ve, double ce) {
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException("event counts must be >= 0, were " + x + " and " + y);
        }
        if (!(ve > 0 && ce > 0) || Double.isInfinite(ve) || Double.isInfinite(ce)) {
            throw new IllegalArgumentException("exposures must be positive, were " + ve + " and " + ce);
        }
    }

    /**
     * x log p + y log(1 - p) with logit p = {@code logit}: {@code x * logSigmoid(logit) + y *
     * logSigmoid(-logit)} to the last bit, with the one log(1 + e^-|logit|) the two share computed once.
     */
    static double logLikelihood(long x, long y, double logit) {
        if (logit >= 0) {
            double shared = Math.log1p(Math.exp(-logit));
            return x * -shared + y * (-logit - shared);
        }
        double shared = Math.log1p(Math.exp(logit));
        return x * (logit - shared) + y * -shared;
    }

    static double logSigmoid(double z) {
        return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
    }
}
