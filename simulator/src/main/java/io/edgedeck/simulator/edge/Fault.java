package io.edgedeck.simulator.edge;

import java.util.Locale;

/**
 * A fault applied to one PoP while a show runs. At most one fault of each kind is in force per
 * PoP; applying a kind again replaces it.
 */
public sealed interface Fault {

    FaultKind kind();

    /** Its size as the journal records it: ms for latency, jitter and acquirer; a probability for loss; 0 otherwise. */
    double magnitude();

    /** A fault from its journal form. */
    static Fault of(FaultKind kind, double magnitude) {
        return switch (kind) {
            case OUTAGE -> new Outage();
            case PARTITION -> new Partition();
            case LATENCY -> new LatencyShift(magnitude);
            case JITTER -> new JitterStorm(magnitude);
            case LOSS -> new Loss(magnitude);
            case ACQUIRER -> new AcquirerSlowdown(magnitude);
        };
    }

    /** What a producer reads on the timeline: "jitter storm +45 ms at fra for 180 s". */
    default String label(String pop, long durationMillis) {
        String what = switch (this) {
            case Outage o -> "outage at " + pop;
            case Partition p -> "partition at " + pop;
            case LatencyShift l -> String.format(Locale.ROOT, "latency %+.0f ms at %s", l.deltaMs(), pop);
            case JitterStorm j -> String.format(Locale.ROOT, "jitter storm +%.0f ms at %s", j.jitterMs(), pop);
            case Loss l -> String.format(Locale.ROOT, "loss %.1f%% at %s", l.loss() * 100, pop);
            case AcquirerSlowdown a -> String.format(Locale.ROOT, "acquirer +%.0f ms at %s", a.extraMs(), pop);
        };
        return durationMillis > 0 ? what + " for " + durationMillis / 1000 + " s" : what;
    }

    /** The PoP is out of service: routing skips it; its region's checkouts queue if nothing else serves. */
    record Outage() implements Fault {
        public FaultKind kind() { return FaultKind.OUTAGE; }
        public double magnitude() { return 0; }
    }

    /** The PoP serves its audience but cannot reach the acquirer or the control plane. */
    record Partition() implements Fault {
        public FaultKind kind() { return FaultKind.PARTITION; }
        public double magnitude() { return 0; }
    }

    /** Adds a constant to every request's latency, in ms. */
    record LatencyShift(double deltaMs) implements Fault {
        public FaultKind kind() { return FaultKind.LATENCY; }
        public double magnitude() { return deltaMs; }
    }

    /** Adds correlated jitter of this size, in ms, on top of the PoP's own. */
    record JitterStorm(double jitterMs) implements Fault {
        public FaultKind kind() { return FaultKind.JITTER; }
        public double magnitude() { return jitterMs; }
    }

    /** Raises the loss probability to this value. */
    record Loss(double loss) implements Fault {
        public FaultKind kind() { return FaultKind.LOSS; }
        public double magnitude() { return loss; }
    }

    /** The payment acquirer answers this many ms later; past the authorisation timeout, checkouts queue. */
    record AcquirerSlowdown(double extraMs) implements Fault {
        public FaultKind kind() { return FaultKind.ACQUIRER; }
        public double magnitude() { return extraMs; }
    }
}
