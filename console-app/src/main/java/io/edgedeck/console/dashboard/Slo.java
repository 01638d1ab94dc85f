package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.TileColouring;

import java.util.Locale;

/**
 * How a PoP's numbers map to a colour. Grey when the PoP has had no observations lately ("no data":
 * unknown, not up), red when it is down; otherwise
 * <ul>
 *   <li>{@link TileColouring#FIXED}: red when p95 is over the objective, amber when it is within 20%
 *       of it or the PoP is degraded or partitioned, green otherwise;</li>
 *   <li>{@link TileColouring#ADAPTIVE}: against the normal its node learned for the PoP
 *       ({@link PopBaseline}, docs/BASELINES.md): red when p95 is above the normal band and at least
 *       {@value #ADAPTIVE_BAD_RATIO} times normal, amber when it is above the band or the PoP is degraded
 *       or partitioned, green otherwise. Until the node has learned a normal (its first minute, or
 *       from a node that learns none) the fixed objective judges, and the tile says so.</li>
 * </ul>
 *
 * @param p95TargetMs the objective for p95 latency, in ms
 * @param colouring   what the colour is judged against
 */
public record Slo(double p95TargetMs, TileColouring colouring) {
    public static final Slo DEFAULT = new Slo(150);
    private static final double WARN_SHARE = 0.8;
    /** Adaptive: how many times its normal p95 a PoP must be, besides outside its band, to be red. */
    static final double ADAPTIVE_BAD_RATIO = 1.5;

    public Slo {
        if (!(p95TargetMs > 0)) throw new IllegalArgumentException("the p95 objective must be > 0 ms, was " + p95TargetMs);
        colouring = colouring == null ? TileColouring.FIXED : colouring;
    }

    /** Coloured against the fixed objective. */
    public Slo(double p95TargetMs) {
        this(p95TargetMs, TileColouring.FIXED);
    }

    /**
     * A PoP's colour and what it was judged against.
     *
     * @param lineMs the p95 the colour turns at: the objective, or the top of the PoP's normal band
     * @param basis  in words, e.g. "objective 150 ms" or "normal 48 ms (band to 61 ms)"
     */
    public record Verdict(Status status, double lineMs, String basis) {
    }

    /** The colour of a PoP's tile. */
    public Verdict judge(PopMetrics m) {
        double p95 = m.last10s().p95Ms();
        PopBaseline b = m.baseline();
        if (colouring == TileColouring.ADAPTIVE && b.learned()) {
            String basis = String.format(Locale.ROOT, "normal %.0f ms, band to %.0f ms", b.p95Ms(), b.p95HighMs())
                    + (b.frozen() ? ", frozen: " + b.frozenBy() : "");
            return new Verdict(classifyAdaptive(p95, m.health(), b), b.p95HighMs(), basis);
        }
        String basis = String.format(Locale.ROOT, "objective %.0f ms", p95TargetMs);
        if (colouring == TileColouring.ADAPTIVE) {
            basis += b.samples() == 0 && b.windowSeconds() == 0 ? " (the node learns no normal)"
                    : String.format(Locale.ROOT, " (learning normal: %d of %d s)", b.samples(), PopBaseline.MIN_SAMPLES);
        }
        return new Verdict(classify(p95, m.health()), p95TargetMs, basis);
    }

    private static Status classifyAdaptive(double p95Ms, PopHealth health, PopBaseline b) {
        if (health == PopHealth.NO_DATA) {
            return Status.STALE;
        }
        boolean outside = p95Ms > b.p95HighMs();
        if (health == PopHealth.DOWN || (outside && p95Ms >= ADAPTIVE_BAD_RATIO * b.p95Ms())) {
            return Status.BAD;
        }
        if (health != PopHealth.UP || outside) {
            return Status.WARN;
        }
        return Status.OK;
    }

    /** Against the fixed objective. */
    public Status classify(double p95Ms, PopHealth health) {
        if (health == PopHealth.NO_DATA) {
            // Nothing observed lately: unknown, grey, never green.
            return Status.STALE;
        }
        if (health == PopHealth.DOWN || p95Ms > p95TargetMs) {
            return Status.BAD;
        }
        if (health != PopHealth.UP || p95Ms > p95TargetMs * WARN_SHARE) {
            return Status.WARN;
        }
        return Status.OK;
    }
}
