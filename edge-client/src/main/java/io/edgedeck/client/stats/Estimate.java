package io.edgedeck.client.stats;

/**
 * A point estimate and its anytime-valid confidence interval. An end the data cannot bound yet is
 * infinite.
 */
public record Estimate(double value, double lower, double upper) {

    public Estimate {
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("not an interval: [" + lower + ", " + upper + "]");
        }
    }

    /** True when the whole interval lies above {@code x}. */
    public boolean wholeAbove(double x) {
        return lower > x;
    }

    /** True when the whole interval lies below {@code x}. */
    public boolean wholeBelow(double x) {
        return upper < x;
    }

    public boolean contains(double x) {
        return lower <= x && x <= upper;
    }
}
