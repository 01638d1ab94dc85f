package io.edgedeck.client.stats;

import org.apache.commons.numbers.gamma.LogBeta;

/**
 * Anytime-valid inference on one proportion from a count of successes among trials, by the
 * beta-binomial mixture (Robbins 1970; Howard and Ramdas, "Sequential estimation of quantiles with
 * applications to A/B-testing and best-arm identification", Bernoulli 2022).
 *
 * <p>With the proportion drawn from a Beta(a, b) prior, the mixture of the binomial likelihood
 * ratios against p0,
 * <pre>  M(p0) = B(a + k, b + n - k) / B(a, b) / (p0^k (1 - p0)^(n - k))</pre>
 * is a nonnegative martingale with mean 1 when the trials are independent with success probability
 * p0, so it ever reaches 1/alpha with probability at most alpha (Ville). The prior is centred on a
 * value fixed in advance (a rule's threshold, or the quantile's level) with a spread of about
 * {@value #PRIOR_LOGIT_SD} on the log-odds scale.
 *
 * <p>Assumptions: the trials are independent given the past, each with the same success
 * probability, or (for the martingale argument) with conditional probabilities whose running
 * average is the quantity the interval covers.
 */
public final class BetaBinomial {
    /** Spread of the prior on the log-odds scale. */
    public static final double PRIOR_LOGIT_SD = 0.3;
    private final double a;
    private final double b;
    private final double logBetaPrior;

    /** A mixture whose prior is centred on {@code centre}, in (0, 1). */
    public BetaBinomial(double centre) {
        double p = Math.min(1 - 1e-6, Math.max(1e-6, centre));
        double strength = Math.max(2, 1 / (PRIOR_LOGIT_SD * PRIOR_LOGIT_SD * p * (1 - p)) - 1);
        this.a = strength * p;
        this.b = strength * (1 - p);
        this.logBetaPrior = LogBeta.value(a, b);
    }

    /** The natural log of M(p0) for k successes in n trials; k may be fractional inside a search. */
    public double logEValue(double k, double n, double p0) {
        double logP = p0 <= 0 ? (k > 0 ? Double.NEGATIVE_INFINITY : 0) : Math.log(p0);
        double logQ = p0 >= 1 ? (n - k > 0 ? Double.NEGATIVE_INFINITY : 0) : Math.log1p(-p0);
        double likelihood = (k == 0 ? 0 : k * logP) + (n - k == 0 ? 0 : (n - k) * logQ);
        return LogBeta.value(a + k, b + n - k) - logBetaPrior - likelihood;
    }

    /** The proportion {@code k / n} and its interval; the whole of [0, 1] before any trial. */
    public Estimate proportion(long k, long n, double alpha) {
        NormalMixture.checkAlpha(alpha);
        if (k < 0 || n < k) {
            throw new IllegalArgumentException("need 0 <= k <= n, were " + k + " and " + n);
        }
        if (n == 0) {
            return new Estimate(Double.NaN, 0, 1);
        }
        double bar = Math.log(1 / alpha);
        double estimate = (double) k / n;
        // accepted on the log-odds scale, where M is convex with its minimum at the estimate
        java.util.function.DoublePredicate accepted = logit -> logEValue(k, n, 1 / (1 + Math.exp(-logit))) < bar;
        double mle = k == 0 ? Double.NEGATIVE_INFINITY : k == n ? Double.POSITIVE_INFINITY : Math.log((double) k / (n - k));
        double start = Double.isInfinite(mle) ? Math.copySign(RateRatio.FAR, mle) : mle;
        double lower = k == 0 ? 0 : sigmoid(TwoMeans.edge(accepted, start, -1));
        double upper = k == n ? 1 : sigmoid(TwoMeans.edge(accepted, start, +1));
        return new Estimate(estimate, Math.min(lower, estimate), Math.max(upper, estimate));
    }

    /**
     * The smallest and the largest count k in [0, n] whose M(p0) stays under 1/alpha: with
     * probability at least 1 - alpha, a count that really is binomial(n, p0) lies between them for
     * every n at once. Null when no count is accepted (which needs a far too small alpha).
     */
    public long[] acceptedCounts(long n, double p0, double alpha) {
        NormalMixture.checkAlpha(alpha);
        double bar = Math.log(1 / alpha);
        // log M is convex in k, smallest near n p0 (where the data agree with the null): the accepted
        // counts are the integers around it, found by bisection on either side.
        long centre = Math.max(0, Math.min(n, Math.round(n * p0)));
        if (logEValue(centre, n, p0) >= bar) {
            centre = minimum(n, p0);
            if (logEValue(centre, n, p0) >= bar) {
                return null;
            }
        }
        long rejectedBelow = -1;
        long acceptedLow = centre;
        while (acceptedLow - rejectedBelow > 1) {
            long mid = (rejectedBelow + acceptedLow) >>> 1;
            if (logEValue(mid, n, p0) < bar) acceptedLow = mid; else rejectedBelow = mid;
        }
        long acceptedHigh = centre;
        long rejectedAbove = n + 1;
        while (rejectedAbove - acceptedHigh > 1) {
            long mid = (acceptedHigh + rejectedAbove) >>> 1;
            if (logEValue(mid, n, p0) < bar) acceptedHigh = mid; else rejectedAbove = mid;
        }
        return new long[]{acceptedLow, acceptedHigh};
    }

    /** The integer count where log M is smallest, by a golden-section search over [0, n]. */
    private long minimum(long n, double p0) {
        double lo = 0;
        double hi = n;
        for (int i = 0; i < 80 && hi - lo > 0.5; i++) {
            double m1 = lo + (hi - lo) / 3;
            double m2 = hi - (hi - lo) / 3;
            if (logEValue(m1, n, p0) < logEValue(m2, n, p0)) hi = m2; else lo = m1;
        }
        return Math.round((lo + hi) / 2);
    }

    private static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }
}
