package io.edgedeck.engine.pops;

/**
 * A PoP's service-level objectives, from which the core judges its health when nothing reports
 * the PoP's state directly (a live node fed by ingest alone). Over the last 10 s of observations:
 * every request lost (and at least one seen) is {@code DOWN}; a loss ratio over {@code maxLossRatio}
 * or a p95 latency over {@code p95Ms} is {@code DEGRADED}; otherwise {@code UP}.
 *
 * @param p95Ms        the objective for p95 latency, in ms
 * @param maxLossRatio the share of requests that may be lost, in [0, 1)
 * @param declared     whether the configuration states them for the PoP, so frames carry them and a console
 *                     judges the PoP by them; false for {@link #DEFAULT}, which a console replaces with its own
 * @param p95Declared  whether the configuration states {@code p95Ms} itself: an {@code slo} with a loss objective
 *                     alone is judged by the default p95, which frames do not carry as the PoP's own
 */
public record Slo(double p95Ms, double maxLossRatio, boolean declared, boolean p95Declared) {
    /** The console's default tile objective (150 ms p95) and 2% loss, for a PoP the configuration gives none. */
    public static final Slo DEFAULT = new Slo(150, 0.02, false, false);

    public Slo {
        if (!(p95Ms > 0) || Double.isInfinite(p95Ms)) throw new IllegalArgumentException("the p95 objective must be a positive number of ms, was " + p95Ms);
        if (!(maxLossRatio >= 0 && maxLossRatio < 1)) throw new IllegalArgumentException("the loss objective must be in [0, 1), was " + maxLossRatio);
    }

    /** Objectives the configuration states for the PoP. */
    public Slo(double p95Ms, double maxLossRatio) {
        this(p95Ms, maxLossRatio, true, true);
    }

    /** A loss objective the configuration states for the PoP, with no p95 objective of its own: the default's p95. */
    public static Slo lossOnly(double maxLossRatio) {
        return new Slo(DEFAULT.p95Ms(), maxLossRatio, true, false);
    }
}
