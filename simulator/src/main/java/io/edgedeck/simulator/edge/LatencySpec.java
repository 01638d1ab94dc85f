package io.edgedeck.simulator.edge;

/**
 * The latency model of one PoP.
 *
 * @param baseMs       the delay every request pays (propagation plus processing), in ms
 * @param distribution shape of the spread around the base
 * @param spreadMs     scale of the spread (standard deviation for normal; scale for the others), in ms
 * @param jitterMs     extra, correlated variation from one request to the next, in ms
 * @param correlation  how much of each request's jitter carries over from the previous one, in [0, 1)
 * @param loss         probability that a request is lost, in [0, 1]
 */
public record LatencySpec(double baseMs, LatencyDistribution distribution, double spreadMs,
                          double jitterMs, double correlation, double loss) {
    public LatencySpec {
        if (!(baseMs >= 0)) throw new IllegalArgumentException("baseMs must be >= 0, was " + baseMs);
        if (distribution == null) throw new IllegalArgumentException("distribution is required");
        if (!(spreadMs >= 0)) throw new IllegalArgumentException("spreadMs must be >= 0, was " + spreadMs);
        if (!(jitterMs >= 0)) throw new IllegalArgumentException("jitterMs must be >= 0, was " + jitterMs);
        if (!(correlation >= 0 && correlation < 1)) throw new IllegalArgumentException("correlation must be in [0, 1), was " + correlation);
        if (!(loss >= 0 && loss <= 1)) throw new IllegalArgumentException("loss must be in [0, 1], was " + loss);
    }
}
