package io.edgedeck.client.stats;

import org.apache.commons.numbers.gamma.LogBeta;
import org.apache.commons.numbers.gamma.RegularizedBeta;

/**
 * Anytime-valid one-sided bounds on a proportion from a count of successes among trials, by the
 * beta-binomial mixture (Robbins 1970; Howard and Ramdas, "Sequential estimation of quantiles with
 * applications to A/B-testing and best-arm identification", Bernoulli 2022).
 *
 * <p>With the proportion drawn from a Beta(a, b) prior cut to one side of p0 (above it, for
 * evidence that the proportion is higher; below it, for lower), the mixture of the binomial
 * likelihood ratios against p0,
 * <pre>  M(p0) = B(a + k, b + n - k) P(Beta(a + k, b + n - k) on that side of p0)
 *          / (B(a, b) P(Beta(a, b) on that side of p0)) / (p0^k (1 - p0)^(n - k))</pre>
 * is a nonnegative martingale with mean 1 when the trials are independent with success probability
 * p0, so it ever reaches 1/alpha with probability at most alpha (Ville). The prior is centred on a
 * value fixed in advance (a rule's threshold, or the quantile's level) with a spread of about
 * {@value #PRIOR_LOGIT_SD} on the log-odds scale. The lower bound is the smallest p0 not rejected
 * by the mixture from above, the upper the largest not rejected from below; each holds at every
 * moment with probability at least 1 - alpha.
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

    /**
     * The natural log of M(p0) for k successes in n trials, from the proportions above p0
     * ({@code direction} +1: evidence the proportion is higher) or below it (-1); k and n may be
     * fractional (an effective count, or inside a search).
     */
    public double logEValue(double k, double n, double p0, int direction) {
        double logP = p0 <= 0 ? (k > 0 ? Double.NEGATIVE_INFINITY : 0) : Math.log(p0);
        double logQ = p0 >= 1 ? (n - k > 0 ? Double.NEGATIVE_INFINITY : 0) : Math.log1p(-p0);
        double likelihood = (k == 0 ? 0 : k * logP) + (n - k == 0 ? 0 : (n - k) * logQ);
        double posteriorSide = side(p0, a + k, b + n - k, direction);
        double priorSide = side(p0, a, b, direction);
        return LogBeta.value(a + k, b + n - k) + Math.log(posteriorSide) - logBetaPrior - Math.log(priorSide) - likelihood;
    }

    private static double side(double p0, double alpha, double beta, int direction) {
        return direction > 0 ? RegularizedBeta.complement(p0, alpha, beta) : RegularizedBeta.value(p0, alpha, beta);
    }

    /** The proportion {@code k / n} and its one-sided bounds; the whole of [0, 1] before any trial. */
    public Estimate proportion(double k, double n, double alpha) {
        NormalMixture.checkAlpha(alpha);
        if (k < 0 || n < k) {
            throw new IllegalArgumentException("need 0 <= k <= n, were " + k + " and " + n);
        }
        if (n == 0) {
            return new Estimate(Double.NaN, 0, 1);
        }
        double bar = Math.log(1 / alpha);
        double estimate = k / n;
        // on the log-odds scale: reject low p0 by the mixture from above, high p0 from below
        double mle = k == 0 ? Double.NEGATIVE_INFINITY : k == n ? Double.POSITIVE_INFINITY : Math.log(k / (n - k));
        double start = Double.isInfinite(mle) ? Math.copySign(RateRatio.FAR, mle) : mle;
        double lower = k == 0 ? 0 : sigmoid(Search.edge(logit -> logEValue(k, n, sigmoid(logit), +1) < bar, start, -1, 1e-6));
        double upper = k == n ? 1 : sigmoid(Search.edge(logit -> logEValue(k, n, sigmoid(logit), -1) < bar, start, +1, 1e-6));
        return new Estimate(estimate, Math.min(lower, estimate), Math.max(upper, estimate));
    }

    /**
     * The smallest count k in [0, n] not rejected as too small (by the mixture from below p0) and
     * the largest not rejected as too large (from above): a count that really is binomial(n, p0)
     * lies at or above the first, at every n at once, with probability at least 1 - alpha, and at
     * or below the second likewise. (n when every count is rejected as too small, 0 when every one
     * is rejected as too large.)
     */
    public long[] acceptedCounts(long n, double p0, double alpha) {
        long centre = Math.max(0, Math.min(n, Math.round(n * p0)));
        return acceptedCounts(n, p0, alpha, centre, centre);
    }

    /**
     * The same counts, searched for from guesses (the answer for a nearby n, say): a guess near the
     * answer needs a few evaluations of the mixture instead of a bisection over [0, n]. The answer
     * does not depend on the guesses: the evidence from below falls as k grows and the evidence from
     * above rises, so each end is the one place where rejection turns to acceptance.
     */
    public long[] acceptedCounts(long n, double p0, double alpha, long guessLowest, long guessHighest) {
        NormalMixture.checkAlpha(alpha);
        double bar = Math.log(1 / alpha);
        long lowest = firstAccepted(k -> logEValue(k, n, p0, -1) < bar, n, guessLowest);
        long highest = n - firstAccepted(j -> logEValue(n - j, n, p0, +1) < bar, n, n - guessHighest);
        return new long[]{lowest, highest};
    }

    /**
     * The smallest k in [0, n] that {@code accepted} takes, or n if none, for a predicate that is
     * false up to some k and true from there: a gallop from {@code guess}, then a bisection.
     */
    private static long firstAccepted(java.util.function.LongPredicate accepted, long n, long guess) {
        long g = Math.max(0, Math.min(n, guess));
        long in;
        long out;
        if (accepted.test(g)) {
            in = g;
            out = -1;
            for (long step = 1; in > 0; step *= 2) {
                long probe = Math.max(0, in - step);
                if (!accepted.test(probe)) {
                    out = probe;
                    break;
                }
                in = probe;
            }
        } else {
            out = g;
            in = n;
            for (long step = 1; out < n; step *= 2) {
                long probe = Math.min(n, out + step);
                if (probe == n || accepted.test(probe)) {
                    // n is the answer when nothing is accepted, so it needs no test
                    in = probe;
                    break;
                }
                out = probe;
            }
        }
        while (in - out > 1) {
            long mid = (out + in) >>> 1;
            if (accepted.test(mid)) in = mid; else out = mid;
        }
        return in;
    }

    static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }
}
