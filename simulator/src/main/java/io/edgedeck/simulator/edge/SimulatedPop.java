package io.edgedeck.simulator.edge;

import io.edgedeck.client.model.PopHealth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** A simulated PoP while a show runs: its latency model, capacity, queue and faults. Engine thread. */
final class SimulatedPop {
    static final long NO_FAULT = Long.MIN_VALUE;
    static final long UNTIL_LIFTED = Long.MAX_VALUE;
    private static final FaultKind[] KINDS = FaultKind.values();

    final PopSpec spec;
    final int index;
    final LatencySampler sampler;
    final double budgetPerTick;
    /** When each fault kind lifts, by ordinal; {@link #NO_FAULT} when not in force. */
    final long[] faultUntil = new long[KINDS.length];
    final double[] faultMagnitude = new double[KINDS.length];

    double usedThisTick;
    boolean overloadedThisTick;
    long queueDepth;
    double drainCredit;

    SimulatedPop(PopSpec spec, int index, SplittableRandom random, int tickMillis) {
        this.spec = spec;
        this.index = index;
        this.sampler = new LatencySampler(spec.latency(), random);
        this.budgetPerTick = spec.capacityRps() * tickMillis / 1000.0;
        Arrays.fill(faultUntil, NO_FAULT);
    }

    boolean has(FaultKind kind) {
        return faultUntil[kind.ordinal()] != NO_FAULT;
    }

    boolean down() {
        return has(FaultKind.OUTAGE);
    }

    boolean partitioned() {
        return has(FaultKind.PARTITION);
    }

    private double magnitude(FaultKind kind) {
        return has(kind) ? faultMagnitude[kind.ordinal()] : 0;
    }

    double shiftMs() {
        return magnitude(FaultKind.LATENCY);
    }

    double stormJitterMs() {
        return magnitude(FaultKind.JITTER);
    }

    double lossOverride() {
        return magnitude(FaultKind.LOSS);
    }

    double acquirerExtraMs() {
        return magnitude(FaultKind.ACQUIRER);
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

    /** What routing makes of the PoP this tick. */
    PopHealth health() {
        if (down()) {
            return PopHealth.DOWN;
        }
        if (partitioned()) {
            return PopHealth.PARTITIONED;
        }
        boolean faulted = has(FaultKind.LATENCY) || has(FaultKind.JITTER) || has(FaultKind.LOSS) || has(FaultKind.ACQUIRER);
        return overloadedThisTick || queueDepth > 0 || faulted ? PopHealth.DEGRADED : PopHealth.UP;
    }

    /** The faults in force by wire name, in kind order. */
    List<String> faultNames() {
        List<String> names = new ArrayList<>(2);
        for (FaultKind k : KINDS) {
            if (has(k)) {
                names.add(k.wireName());
            }
        }
        return names;
    }
}
