package io.edgedeck.client.stats;

/**
 * How a rule's error budget alpha is shared among its evidence periods. A guardrail judges the data
 * since its evidence started and, so that harm beginning mid-show is not diluted by the quiet
 * minutes before it, since each later start on a fixed spacing. The k-th start (k = 0 for the first)
 * gets the share 1 / ((k + 1)(k + 2)) of alpha; the shares sum to 1 over every k, so the chance
 * that any period ever shows harm that is not there stays at most alpha (a union bound over
 * anytime-valid tests).
 */
public final class AlphaSpending {
    private AlphaSpending() {
    }

    /** The share of alpha given to the {@code k}-th evidence period, k >= 0. */
    public static double share(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, was " + k);
        }
        double j = k;
        return 1 / ((j + 1) * (j + 2));
    }
}
