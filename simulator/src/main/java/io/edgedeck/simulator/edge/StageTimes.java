package io.edgedeck.simulator.edge;

/**
 * How long one decision took per stage at the simulated edge, ms: what an app at the edge would
 * measure and report with the checkout it ends.
 */
public record StageTimes(double validateMs, double enrichMs, double actMs) {
    public double totalMs() {
        return validateMs + enrichMs + actMs;
    }
}
