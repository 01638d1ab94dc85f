package io.edgedeck.client.stats;

import org.apache.commons.numbers.gamma.RegularizedBeta;

/**
 * The exact (Clopper and Pearson 1934) confidence interval for a binomial proportion: of n
 * independent trials, k succeeded. Each end is the proportion at which k or fewer (k or more)
 * successes would have had probability (1 - level) / 2; the interval covers the true proportion
 * with probability at least {@code level} whatever it is. Used for error rates measured by replaying
 * shows, e.g. false rollbacks in 100 A/A shows.
 */
public final class ClopperPearson {
    private ClopperPearson() {
    }

    /** The interval for {@code k} successes in {@code n} trials; {@code value} is k / n. */
    public static Estimate of(long k, long n, double level) {
        if (n < 1 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n and n >= 1, were k = " + k + ", n = " + n);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), was " + level);
        }
        double tail = (1 - level) / 2;
        // P(X >= k | p) = I_p(k, n - k + 1) rises with p; P(X <= k | p) = 1 - I_p(k + 1, n - k) falls with p
        double lower = k == 0 ? 0 : solve(p -> RegularizedBeta.value(p, k, n - k + 1.0) - tail);
        double upper = k == n ? 1 : solve(p -> tail - (1 - RegularizedBeta.value(p, k + 1.0, n - k)));
        return new Estimate((double) k / n, lower, upper);
    }

    /** The root in (0, 1) of an increasing function, by bisection. */
    private static double solve(java.util.function.DoubleUnaryOperator increasing) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 80; i++) {
            double mid = (lo + hi) / 2;
            if (increasing.applyAsDouble(mid) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
