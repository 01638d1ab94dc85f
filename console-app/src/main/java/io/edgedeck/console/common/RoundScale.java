package io.edgedeck.console.common;

import java.util.Locale;

/**
 * A linear scale from 0 read at a glance: its top and its steps round numbers, 1, 2 or 5 times a power of ten, so every
 * mark says a number a person would write (20, 40, 60; never 25, 75). The Timeline's panels and the Jitter tab's
 * latency and jitter panels are marked by it.
 */
public final class RoundScale {
    private RoundScale() {
    }

    /**
     * The top of a scale from 0 marked at its foot, its middle and its top: the least at or above {@code v} whose
     * middle is a round number, 1, 2 or 5 times a power of ten (4, 10, 20, 40, 100, 200, 400, …).
     */
    public static double top(double v) {
        double half = v / 2;
        double magnitude = Math.pow(10, Math.floor(Math.log10(half)));
        for (double m : new double[] {1, 2, 5, 10}) {
            double step = round(m, (int) Math.round(Math.log10(magnitude)));
            if (step >= half * (1 - 1e-12)) {
                return 2 * step;
            }
        }
        return 20 * magnitude;
    }

    /**
     * The largest round step (1, 2 or 5 times a power of ten) that divides a scale from 0 to {@code top} into at least
     * {@code parts} steps: for a {@link #top}, one that also ends on the top (100 in fifths of 20, 40 in quarters of 10).
     */
    public static double step(double top, int parts) {
        double most = top / parts;
        int decade = (int) Math.floor(Math.log10(most));
        for (int d = decade; d >= decade - 1; d--) {
            for (double m : new double[] {5, 2, 1}) {
                double step = round(m, d);
                if (step <= most * (1 + 1e-12)) {
                    return step;
                }
            }
        }
        return round(1, decade - 1);
    }

    /** {@code m} times ten to {@code decade}, parsed from its digits so a tenth's multiples are the numbers their labels say. */
    private static double round(double m, int decade) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.0fe%d", m, decade));
    }
}
