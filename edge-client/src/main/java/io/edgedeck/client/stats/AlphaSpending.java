package io.edgedeck.client.stats;

/**
 * How a rule's error budget alpha is shared among its evidence periods. A guardrail judges the data
 * since its evidence started and, so that harm beginning mid-show is not diluted by the quiet
 * minutes before it, since each later start on a fixed spacing. The first period (k = 0) gets
 * {@value #FIRST} of alpha: most harm a guardrail is there for starts with the variant (a redesign
 * that converts worse does so from its first exposure), and a conversion drop is caught only as fast
 * as checkouts come in, so that test gets most of the budget. The k-th later start gets
 * (1 - {@value #FIRST}) / (k (k + 1)), k >= 1; those shares sum to 1 - {@value #FIRST}, so over every
 * period the shares sum to 1 and the chance that any period ever shows harm that is not there stays
 * at most alpha (a union bound over anytime-valid tests). Harm that begins mid-show (chat turning
 * sour) is usually large, and pays little for its smaller share: at the 4th start (k = 3), 1/120 of
 * alpha instead of the 1/20 that a 1/((k + 1)(k + 2)) ladder gives costs log 6 = 1.8 nats of
 * evidence, a few seconds of chat (docs/GUARDRAILS.md has the measured figures).
 */
public final class AlphaSpending {
    /** The first period's share. */
    public static final double FIRST = 0.9;

    private AlphaSpending() {
    }

    /** The share of alpha given to the {@code k}-th evidence period, k >= 0. */
    public static double share(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, was " + k);
        }
        if (k == 0) {
            return FIRST;
        }
        double j = k;
        return (1 - FIRST) / (j * (j + 1));
    }
}
