package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.PopHealth;
import io.edgedeck.console.common.Status;

/**
 * The producer's service-level objective for PoP latency, and how a PoP's numbers map to a colour:
 * red when p95 is over the objective or the PoP is down, amber when p95 is within 20% of it or the
 * PoP is degraded or partitioned, grey when the PoP has had no observations lately ("no data": unknown, not
 * up), green otherwise.
 *
 * @param p95TargetMs the objective for p95 latency, in ms
 */
public record Slo(double p95TargetMs) {
    public static final Slo DEFAULT = new Slo(150);
    private static final double WARN_SHARE = 0.8;

    public Slo {
        if (!(p95TargetMs > 0)) throw new IllegalArgumentException("the p95 objective must be > 0 ms, was " + p95TargetMs);
    }

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
