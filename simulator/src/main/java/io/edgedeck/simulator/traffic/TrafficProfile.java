package io.edgedeck.simulator.traffic;

import java.util.List;

/**
 * How an audience behaves: an open arrival process ramped through stages (like k6's
 * ramping-arrival-rate executor), and what each session does while it stays.
 *
 * @param startRate            sessions arriving per second at the start of the show
 * @param stages               each ramps the arrival rate linearly to its target over its duration;
 *                             after the last stage its target holds
 * @param meanDwellSeconds     mean time a session stays (exponentially distributed)
 * @param viewsPerMinute       per session
 * @param hoversPerMinute      per session
 * @param clicksPerMinute      per session
 * @param chatPerMinute        chat messages per session per minute
 * @param addToCartProbability chance that a click puts the offer in the cart
 * @param checkoutProbability  chance that a later click on a full cart checks out
 * @param regionShares         share of arrivals per region, in the engine's region order
 * @param chatMood             the mood of chat messages, unless a variant says otherwise
 */
public record TrafficProfile(double startRate, List<Stage> stages, double meanDwellSeconds,
                             double viewsPerMinute, double hoversPerMinute, double clicksPerMinute,
                             double chatPerMinute, double addToCartProbability, double checkoutProbability,
                             List<Double> regionShares, ChatMood chatMood) {

    /** Ramp the arrival rate to {@code target} sessions per second over {@code durationSeconds}. */
    public record Stage(double durationSeconds, double target) {
    }

    /** Shares of positive, neutral and negative chat messages; they sum to 1. */
    public record ChatMood(double positive, double neutral, double negative) {
        public static final ChatMood CALM = new ChatMood(0.5, 0.35, 0.15);

        public ChatMood {
            double sum = positive + neutral + negative;
            if (positive < 0 || neutral < 0 || negative < 0 || Math.abs(sum - 1) > 0.001) {
                throw new IllegalArgumentException("chat mood shares must be >= 0 and sum to 1, sum to " + sum);
            }
        }
    }

    public TrafficProfile {
        stages = List.copyOf(stages);
        regionShares = List.copyOf(regionShares);
        if (!(meanDwellSeconds > 0)) throw new IllegalArgumentException("meanDwellSeconds must be > 0");
    }

    /** Sessions arriving per second at engine time {@code seconds}. */
    public double arrivalRate(double seconds) {
        double from = startRate;
        double t = seconds;
        for (Stage s : stages) {
            if (t < s.durationSeconds()) {
                return from + (s.target() - from) * (t / s.durationSeconds());
            }
            t -= s.durationSeconds();
            from = s.target();
        }
        return from;
    }
}
