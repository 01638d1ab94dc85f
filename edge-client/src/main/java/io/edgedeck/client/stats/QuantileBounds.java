package io.edgedeck.client.stats;

/**
 * Anytime-valid order-statistic bounds for a quantile (Howard and Ramdas, "Sequential estimation
 * of quantiles with applications to A/B-testing and best-arm identification", Bernoulli 2022).
 *
 * <p>Of n observations, the number at or below the true p-quantile q is binomial(n, p). With
 * {@link BetaBinomial#acceptedCounts} bounding that count by [lo, hi] for every n at once, q lies
 * between the lo-th and the (hi + 1)-th smallest observation. For observations that are independent
 * but not identically distributed (latency that drifts during a show), the same argument bounds the
 * p-quantile of their average distribution.
 */
public final class QuantileBounds {
    private QuantileBounds() {
    }

    /**
     * One-based ranks of the order statistics bounding the p-quantile of {@code n} observations:
     * {@code lower} is 0 when there is no lower bound yet, {@code upper} is n + 1 when there is no
     * upper bound yet.
     */
    public record Ranks(long lower, long upper) {
    }

    public static Ranks ranks(long n, double p, double alpha) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), was " + p);
        }
        if (n <= 0) {
            return new Ranks(0, 1);
        }
        long[] counts = new BetaBinomial(p).acceptedCounts(n, p, alpha);
        if (counts == null) {
            return new Ranks(0, n + 1);
        }
        return new Ranks(counts[0], counts[1] + 1);
    }

    /** The rank of the point estimate, the empirical p-quantile: ceil(n p), at least 1. */
    public static long estimateRank(long n, double p) {
        return Math.max(1, (long) Math.ceil(n * p));
    }
}
