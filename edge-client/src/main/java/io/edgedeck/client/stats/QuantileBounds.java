package io.edgedeck.client.stats;

/**
 * Anytime-valid order-statistic bounds for a quantile (Howard and Ramdas, "Sequential estimation
 * of quantiles with applications to A/B-testing and best-arm identification", Bernoulli 2022).
 *
 * <p>Of n observations, the number at or below the true p-quantile q is binomial(n, p). With
 * {@link BetaBinomial#acceptedCounts} bounding that count from below by lo and from above by hi,
 * each for every n at once with probability at least 1 - alpha, q is at least the lo-th smallest
 * observation, and below the (hi + 1)-th. For observations that are independent but not
 * identically distributed (latency that drifts during a show), the same argument bounds the
 * p-quantile of their average distribution.
 *
 * <p>Observations that come in clusters (the requests of one session share its PoP) carry less
 * information than their number: {@link #ranks(long, long, double, double)} computes the bounds for
 * a smaller effective count and scales them to the sample, as if each cluster were one observation.
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
        return ranks(n, n, p, alpha);
    }

    /**
     * The ranks for {@code n} observations worth {@code effective} independent ones (at most n):
     * the bounds' ranks for the effective count, scaled out to n, rounded outwards.
     */
    public static Ranks ranks(long n, long effective, double p, double alpha) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), was " + p);
        }
        long m = Math.max(0, Math.min(n, effective));
        if (n <= 0 || m == 0) {
            return new Ranks(0, n + 1);
        }
        long[] counts = LastAnswers.CURRENT.get().acceptedCounts(m, p, alpha);
        double scale = (double) n / m;
        long lower = (long) Math.floor(counts[0] * scale);
        long upper = (long) Math.ceil((counts[1] + 1) * scale);
        return new Ranks(Math.max(0, lower), Math.min(n + 1, upper));
    }

    /**
     * The last counts found for each quantile and level on this thread. A guardrail asks for the same
     * quantile and level every second with a count a little larger than the last, so the last answer,
     * scaled, is a guess a few evaluations from the new one; the answer does not depend on the guess
     * ({@link BetaBinomial#acceptedCounts(long, double, double, long, long)}). Per thread, so nothing
     * is shared; bounded, so a node that runs for weeks does not grow it.
     */
    private static final class LastAnswers {
        static final ThreadLocal<LastAnswers> CURRENT = ThreadLocal.withInitial(LastAnswers::new);
        private static final int MAX_KEYS = 4096;

        private record Key(double p, double alpha) {
        }

        private record Answer(BetaBinomial mixture, long n, long lowest, long highest) {
        }

        private final java.util.Map<Key, Answer> answers = new java.util.HashMap<>();

        long[] acceptedCounts(long n, double p, double alpha) {
            Key key = new Key(p, alpha);
            Answer last = answers.get(key);
            BetaBinomial mixture = last == null ? new BetaBinomial(p) : last.mixture();
            long guessLowest = last == null ? Math.round(n * p) : Math.round((double) last.lowest() * n / last.n());
            long guessHighest = last == null ? Math.round(n * p) : Math.round((double) last.highest() * n / last.n());
            long[] counts = mixture.acceptedCounts(n, p, alpha, guessLowest, guessHighest);
            if (last == null && answers.size() >= MAX_KEYS) {
                answers.clear();
            }
            answers.put(key, new Answer(mixture, n, counts[0], counts[1]));
            return counts;
        }
    }

    /** The rank of the point estimate, the empirical p-quantile: ceil(n p), at least 1. */
    public static long estimateRank(long n, double p) {
        return Math.max(1, (long) Math.ceil(n * p));
    }
}
