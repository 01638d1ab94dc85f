package io.edgedeck.engine;

import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.engine.metrics.LatencyWindows;
import io.edgedeck.engine.metrics.Rfc3550Jitter;
import io.edgedeck.engine.model.Fault;
import io.edgedeck.engine.model.PopSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A PoP while a show runs. Owned by the engine thread. */
final class PopState {
    /** Index of each fault kind in {@link #faultUntil}. */
    static final List<String> FAULT_KINDS = List.of("outage", "partition", "latency", "jitter", "loss", "acquirer");
    static final long NO_FAULT = Long.MIN_VALUE;
    static final long UNTIL_LIFTED = Long.MAX_VALUE;

    final PopSpec spec;
    final int index;
    final LatencySampler sampler;
    final LatencyWindows windows = new LatencyWindows();
    final Rfc3550Jitter jitter = new Rfc3550Jitter();
    final double budgetPerTick;
    /** When each fault kind lifts; {@link #NO_FAULT} when not in force. */
    final long[] faultUntil = new long[FAULT_KINDS.size()];
    final double[] faultMagnitude = new double[FAULT_KINDS.size()];

    double usedThisTick;
    boolean overloadedThisTick;
    long queueDepth;
    double drainCredit;
    long requests;
    long errors;
    long degradedMillis;
    long pendingCheckouts;
    double jitterSecondsSum;
    long jitterSeconds;
    long lastQueuedCheckoutId;
    PopHealth health = PopHealth.UP;

    PopState(PopSpec spec, int index, SplittableRandom random, int tickMillis) {
        this.spec = spec;
        this.index = index;
        this.sampler = new LatencySampler(spec.latency(), random);
        this.budgetPerTick = spec.capacityRps() * tickMillis / 1000.0;
        java.util.Arrays.fill(faultUntil, NO_FAULT);
    }

    static int kindIndex(String kind) {
        int i = FAULT_KINDS.indexOf(kind);
        if (i < 0) {
            throw new IllegalArgumentException("unknown fault kind '" + kind + "'; expected one of " + FAULT_KINDS);
        }
        return i;
    }

    boolean has(int kind) {
        return faultUntil[kind] != NO_FAULT;
    }

    boolean down() {
        return has(0);
    }

    boolean partitioned() {
        return has(1);
    }

    double shiftMs() {
        return has(2) ? faultMagnitude[2] : 0;
    }

    double stormJitterMs() {
        return has(3) ? faultMagnitude[3] : 0;
    }

    double lossOverride() {
        return has(4) ? faultMagnitude[4] : 0;
    }

    double acquirerExtraMs() {
        return has(5) ? faultMagnitude[5] : 0;
    }

    boolean hasHeadroom() {
        return usedThisTick < budgetPerTick;
    }

    /** Most queued work a PoP holds before it turns requests away: ten seconds of capacity. */
    long queueLimit() {
        return (long) Math.ceil(spec.capacityRps() * 10);
    }

    double queueDelayMs() {
        return queueDepth * 1000.0 / spec.capacityRps();
    }

    static Fault fault(String kind, double magnitude) {
        return switch (kind) {
            case "outage" -> new Fault.Outage();
            case "partition" -> new Fault.Partition();
            case "latency" -> new Fault.LatencyShift(magnitude);
            case "jitter" -> new Fault.JitterStorm(magnitude);
            case "loss" -> new Fault.Loss(magnitude);
            case "acquirer" -> new Fault.AcquirerSlowdown(magnitude);
            default -> throw new IllegalArgumentException("unknown fault kind " + kind);
        };
    }

    static double magnitude(Fault f) {
        return switch (f) {
            case Fault.Outage o -> 0;
            case Fault.Partition p -> 0;
            case Fault.LatencyShift s -> s.deltaMs();
            case Fault.JitterStorm j -> j.jitterMs();
            case Fault.Loss l -> l.loss();
            case Fault.AcquirerSlowdown a -> a.extraMs();
        };
    }

    List<String> faultNames() {
        List<String> names = new ArrayList<>(2);
        for (int k = 0; k < faultUntil.length; k++) {
            if (has(k)) {
                names.add(FAULT_KINDS.get(k));
            }
        }
        return names;
    }

    PopMetrics metrics() {
        return new PopMetrics(spec.id(), spec.region(), health,
                windows.shortWindow(), windows.longWindow(),
                jitter.value(), windows.lossRatio(), windows.throughputRps(),
                requests, errors, degradedMillis / 1000.0, queueDepth, pendingCheckouts, faultNames());
    }
}
