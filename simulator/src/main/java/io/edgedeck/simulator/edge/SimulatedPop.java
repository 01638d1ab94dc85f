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
    // Ordinals as constants: the per-request checks below fold them into the array index.
    private static final int OUTAGE = FaultKind.OUTAGE.ordinal();
    private static final int PARTITION = FaultKind.PARTITION.ordinal();
    private static final int LATENCY = FaultKind.LATENCY.ordinal();
    private static final int JITTER = FaultKind.JITTER.ordinal();
    private static final int LOSS = FaultKind.LOSS.ordinal();
    private static final int ACQUIRER = FaultKind.ACQUIRER.ordinal();

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
        return has(kind.ordinal());
    }

    private boolean has(int kind) {
        return faultUntil[kind] != NO_FAULT;
    }

    boolean down() {
        return has(OUTAGE);
    }

    boolean partitioned() {
        return has(PARTITION);
    }

    private double magnitude(int kind) {
        return has(kind) ? faultMagnitude[kind] : 0;
    }

    double shiftMs() {
        return magnitude(LATENCY);
    }

    double stormJitterMs() {
        return magnitude(JITTER);
    }

    double lossOverride() {
        return magnitude(LOSS);
    }

    double acquirerExtraMs() {
        return magnitude(ACQUIRER);
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
        boolean faulted = has(LATENCY) || has(JITTER) || has(LOSS) || has(ACQUIRER);
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
