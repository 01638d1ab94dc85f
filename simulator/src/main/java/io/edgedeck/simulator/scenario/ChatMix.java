package io.edgedeck.simulator.scenario;

/**
 * The mood of chat messages: the probability that a message is positive, neutral or negative.
 * The three sum to 1 (the parser allows 0.001 of rounding).
 */
public record ChatMix(double positive, double neutral, double negative) {
    static final double SUM_TOLERANCE = 0.001;
    /** The mood chat turns to when a variant goes sour: a sentiment shift fired by hand, a pre-flight's sour chat. */
    public static final ChatMix SOUR = new ChatMix(0.15, 0.30, 0.55);

    public ChatMix {
        if (!(positive >= 0 && neutral >= 0 && negative >= 0)) {
            throw new IllegalArgumentException("chat mix shares must be >= 0, were " + positive + ", " + neutral + ", " + negative);
        }
    }

    public double sum() {
        return positive + neutral + negative;
    }
}
