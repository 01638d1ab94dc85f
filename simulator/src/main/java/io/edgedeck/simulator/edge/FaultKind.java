package io.edgedeck.simulator.edge;

import java.util.Arrays;
import java.util.List;

/**
 * The kinds of fault a rehearsal can put on a PoP. At most one of each kind is in force per PoP.
 * The wire name is how the journal, the frames' {@code faults} lists and the console name it.
 */
public enum FaultKind {
    /** Out of service. */
    OUTAGE("outage"),
    /** Serving, but cut off from the acquirer and the control plane. */
    PARTITION("partition"),
    /** A constant added to every request's latency. */
    LATENCY("latency"),
    /** Correlated jitter on top of the PoP's own. */
    JITTER("jitter"),
    /** A raised loss probability. */
    LOSS("loss"),
    /** A slower payment acquirer. */
    ACQUIRER("acquirer");

    private static final List<String> WIRE_NAMES = Arrays.stream(values()).map(FaultKind::wireName).toList();

    private final String wireName;

    FaultKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The kind a journal record or a request names. */
    public static FaultKind fromWireName(String name) {
        for (FaultKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + name + "'; expected one of " + WIRE_NAMES);
    }
}
