package io.edgedeck.simulator.edge;


import java.util.SplittableRandom;

/**
 * Draws request latencies for one PoP: base delay, plus a spread drawn from the model's
 * distribution (standardised to mean 0 and standard deviation 1, then scaled, as netem scales its
 * tables), plus jitter that follows an AR(1) process so consecutive requests are correlated the
 * way netem's correlation setting makes them, without shrinking the jitter's size.
 */
final class LatencySampler {
    /** Pareto shape 3: a heavy tail with finite variance, so it can be standardised. */
    private static final double PARETO_ALPHA = 3.0;
    private static final double PARETO_MEAN = PARETO_ALPHA / (PARETO_ALPHA - 1);
    private static final double PARETO_SD = Math.sqrt(PARETO_ALPHA / ((PARETO_ALPHA - 1) * (PARETO_ALPHA - 1) * (PARETO_ALPHA - 2)));
    private static final double LOGNORMAL_SIGMA = 0.6;
    private static final double LOGNORMAL_MEAN = Math.exp(LOGNORMAL_SIGMA * LOGNORMAL_SIGMA / 2);
    private static final double LOGNORMAL_SD = Math.sqrt((Math.exp(LOGNORMAL_SIGMA * LOGNORMAL_SIGMA) - 1)
            * Math.exp(LOGNORMAL_SIGMA * LOGNORMAL_SIGMA));
    private static final double PARETONORMAL_NORM = Math.sqrt(0.25 * 0.25 + 0.75 * 0.75);

    private final LatencySpec spec;
    private final SplittableRandom random;
    private final double correlationKeep;
    private final double correlationFresh;
    private double jitterState;

    LatencySampler(LatencySpec spec, SplittableRandom random) {
        this.spec = spec;
        this.random = random;
        this.correlationKeep = spec.correlation();
        this.correlationFresh = Math.sqrt(1 - spec.correlation() * spec.correlation());
    }

    /**
     * One request's latency in ms, with {@code extraJitterMs} of storm on top and {@code shiftMs}
     * added. Never below a floor of half the base delay: no request beats the speed of light.
     */
    double sample(double extraJitterMs, double shiftMs) {
        double z = standardDraw();
        jitterState = correlationKeep * jitterState + correlationFresh * Rng.gaussian(random);
        double jitter = jitterState * (spec.jitterMs() + extraJitterMs);
        double value = spec.baseMs() + shiftMs + spec.spreadMs() * z + jitter;
        return Math.max(Math.max(0.05, spec.baseMs() * 0.5), value);
    }

    boolean lost(double lossOverride) {
        double p = Math.max(spec.loss(), lossOverride);
        return p > 0 && random.nextDouble() < p;
    }

    private double standardDraw() {
        return switch (spec.distribution()) {
            case NORMAL -> Rng.gaussian(random);
            case LOGNORMAL -> (Math.exp(LOGNORMAL_SIGMA * Rng.gaussian(random)) - LOGNORMAL_MEAN) / LOGNORMAL_SD;
            case PARETO -> pareto();
            case PARETONORMAL -> (0.25 * Rng.gaussian(random) + 0.75 * pareto()) / PARETONORMAL_NORM;
        };
    }

    private double pareto() {
        double u = random.nextDouble();
        double x = Math.pow(1 - u, -1 / PARETO_ALPHA);
        return (x - PARETO_MEAN) / PARETO_SD;
    }
}
