package io.edgedeck.client.stats;

import java.util.Locale;

/**
 * The conversions a guardrail's first evidence period needs before {@code conversionLift < -0.1}
 * fires, exactly, for an even split: conversions arrive one at a time, each from the variant with
 * probability theta / (theta + 1), and the rule fires at the first count where the ratio's estimate
 * is under 0.9 and {@link RateRatio}'s one-sided e-value against a ratio of 1 reaches 1/alpha. The
 * distribution of the variant's share is carried forward conversion by conversion and the part that
 * has fired is taken out, so the figures are first-passage probabilities, not a simulation.
 *
 * <p>A measuring tool for docs/GUARDRAILS.md, not a test:
 * <pre>java -cp edge-client/target/classes:edge-client/target/test-classes io.edgedeck.client.stats.RateRatioFirstPassage 0.018 0.036</pre>
 * prints, per level, the conversions by which half and 19 in 20 of the runs have fired, for drops
 * of 40%, 30%, 25%, 20% and 15%.
 */
public final class RateRatioFirstPassage {
    private static final double[] DROPS = {0.40, 0.30, 0.25, 0.20, 0.15};
    private static final int MAX_CONVERSIONS = 8000;

    private RateRatioFirstPassage() {
    }

    public static void main(String[] args) {
        for (String a : args) {
            double alpha = Double.parseDouble(a);
            int[] threshold = thresholds(alpha);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "first period at %s:", a));
            for (double drop : DROPS) {
                int[] q = passage(threshold, 1 - drop);
                line.append(String.format(Locale.ROOT, " -%.0f%%: %s / %s;", drop * 100, text(q[0]), text(q[1])));
            }
            System.out.println(line);
        }
    }

    private static String text(int n) {
        return n < 0 ? "> " + MAX_CONVERSIONS : Integer.toString(n);
    }

    /** Per total n, the largest count of variant conversions at which the rule fires, or -1. */
    static int[] thresholds(double alpha) {
        double bar = Math.log(1 / alpha);
        int[] t = new int[MAX_CONVERSIONS + 1];
        int x = -1;
        for (int n = 1; n <= MAX_CONVERSIONS; n++) {
            // the threshold grows with n by at most one per conversion: walk from the last one
            x = Math.min(x + 1, n - 1);
            while (x >= 0 && !fires(x, n - x, bar)) {
                x--;
            }
            t[n] = x;
        }
        return t;
    }

    private static boolean fires(int x, int y, double bar) {
        return y > 0 && RateRatio.pointEstimate(x, y, 1, 1) < 0.9 && RateRatio.logEValue(x, y, 1, 1, 1.0, -1) >= bar;
    }

    /** The conversions by which half, and 19 in 20, of the runs at ratio {@code theta} have fired; -1 past the end. */
    static int[] passage(int[] threshold, double theta) {
        double p = theta / (theta + 1);
        double[] alive = new double[MAX_CONVERSIONS + 2];
        alive[0] = 1;
        double fired = 0;
        int half = -1;
        for (int n = 1; n <= MAX_CONVERSIONS; n++) {
            double[] next = new double[MAX_CONVERSIONS + 2];
            for (int x = 0; x < n; x++) {
                next[x + 1] += alive[x] * p;
                next[x] += alive[x] * (1 - p);
            }
            for (int x = 0; x <= threshold[n]; x++) {
                fired += next[x];
                next[x] = 0;
            }
            alive = next;
            if (half < 0 && fired >= 0.5) {
                half = n;
            }
            if (fired >= 0.95) {
                return new int[]{half, n};
            }
        }
        return new int[]{half, -1};
    }
}
