package io.edgedeck.client.model;

/**
 * The variant's mean score less control's, in the scores' own unit, with its anytime-valid interval:
 * what a {@code sentimentChange} condition decides harm on, and always bounded, so it says how far the
 * chat moved where its share of control's mean cannot (control's chat may be neutral).
 *
 * @param estimate the difference of the arms' mean compound scores, on the scale of -1 to 1
 * @param lower    lower end of its interval, at the condition's level
 * @param upper    upper end, likewise
 */
public record MeanDifference(double estimate, double lower, double upper) {

    public MeanDifference {
        if (!Double.isFinite(estimate) || !Double.isFinite(lower) || !Double.isFinite(upper) || lower > estimate
                || upper < estimate) {
            throw new IllegalArgumentException("meanDifference needs finite estimate, lower and upper with lower <= estimate <= upper, got "
                    + estimate + " (" + lower + " to " + upper + ")");
        }
    }
}
