package io.edgedeck.simulator.scenario;

import java.util.List;

/**
 * Who shows up and what they do.
 *
 * @param stages    arrival-rate ramp: each stage moves the rate linearly to its target over its duration;
 *                  after the last stage the last target holds
 * @param startRate sessions arriving per second at t = 0
 * @param tenants   tenant ids sessions are spread over evenly (flags may be scoped to one)
 * @param session   per-session behaviour rates
 * @param chat      baseline chat mood, before any flag effect or sentiment shift
 * @param orderValue what a checkout is worth, or null: checkouts carry no value
 */
public record Audience(List<Stage> stages, double startRate, List<String> tenants, SessionSpec session, ChatMix chat,
                       OrderValue orderValue) {

    public Audience {
        stages = List.copyOf(stages);
        tenants = List.copyOf(tenants);
    }

    /**
     * One leg of the ramp.
     *
     * @param durationSeconds how long the ramp to {@code target} takes
     * @param target          sessions arriving per second at the end of the stage
     */
    public record Stage(int durationSeconds, double target) {
    }

    /**
     * Behaviour of one session.
     *
     * @param meanDwellSeconds     mean time a session stays (exponentially distributed)
     * @param viewsPerMinute       page/stream views per minute
     * @param hoversPerMinute      product hovers per minute
     * @param clicksPerMinute      product clicks per minute
     * @param chatPerMinute        chat messages per minute
     * @param addToCartProbability chance a session adds to cart at some point
     * @param checkoutProbability  chance a session with a cart checks out
     */
    public record SessionSpec(double meanDwellSeconds, double viewsPerMinute, double hoversPerMinute,
                              double clicksPerMinute, double chatPerMinute, double addToCartProbability,
                              double checkoutProbability) {
    }

    /**
     * What a checkout is worth: log-normal with this median and 90th percentile, so half the orders
     * are worth less than {@code median} and nine in ten less than {@code p90}.
     */
    public record OrderValue(double median, double p90) {
        /** z of the standard normal's 90th percentile. */
        private static final double Z90 = 1.2815515655446004;

        /** The location of the value's logarithm. */
        public double mu() {
            return Math.log(median);
        }

        /** The spread of the value's logarithm. */
        public double sigma() {
            return (Math.log(p90) - Math.log(median)) / Z90;
        }

        /** The value at a standard normal draw {@code z}, in cents. */
        public double at(double z) {
            return Math.round(Math.exp(mu() + sigma() * z) * 100) / 100.0;
        }
    }

    /**
     * Sessions arriving per second at simulated time {@code t} seconds: linear within each stage,
     * the last target once the stages are over.
     */
    public double arrivalRateAt(double t) {
        double from = startRate;
        double stageStart = 0;
        for (Stage stage : stages) {
            double stageEnd = stageStart + stage.durationSeconds();
            if (t < stageEnd) {
                double progress = (Math.max(t, stageStart) - stageStart) / stage.durationSeconds();
                return from + (stage.target() - from) * progress;
            }
            from = stage.target();
            stageStart = stageEnd;
        }
        return from;
    }
}
