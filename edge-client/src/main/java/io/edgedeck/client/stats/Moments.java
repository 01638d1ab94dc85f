package io.edgedeck.client.stats;

/**
 * Count, mean and sample variance of one arm's observations.
 */
public record Moments(long n, double mean, double variance) {

    public static final Moments EMPTY = new Moments(0, 0, 0);

    /** From the running count, sum and sum of squares. */
    public static Moments of(long n, double sum, double sumOfSquares) {
        if (n <= 0) {
            return EMPTY;
        }
        double mean = sum / n;
        double variance = n < 2 ? 0 : Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
        return new Moments(n, mean, variance);
    }

    /** The observations of {@code this} that {@code earlier} had not seen yet. */
    public static Moments between(long n, double sum, double sumOfSquares, long earlierN, double earlierSum,
                                  double earlierSumOfSquares) {
        return of(n - earlierN, sum - earlierSum, sumOfSquares - earlierSumOfSquares);
    }
}
