package io.edgedeck.engine.model;

/**
 * A fault applied to one PoP while a show runs. At most one fault of each kind is in force per
 * PoP; applying a kind again replaces it.
 */
public sealed interface Fault {

    /** The fault's kind as the wire, the journal and the console name it. */
    String kind();

    /** The PoP is out of service: routing skips it; its region's checkouts queue if nothing else serves. */
    record Outage() implements Fault {
        public String kind() { return "outage"; }
    }

    /** The PoP serves its audience but cannot reach the acquirer or the control plane. */
    record Partition() implements Fault {
        public String kind() { return "partition"; }
    }

    /** Adds a constant to every request's latency, in ms. */
    record LatencyShift(double deltaMs) implements Fault {
        public String kind() { return "latency"; }
    }

    /** Adds correlated jitter of this size, in ms, on top of the PoP's own. */
    record JitterStorm(double jitterMs) implements Fault {
        public String kind() { return "jitter"; }
    }

    /** Raises the loss probability to this value. */
    record Loss(double loss) implements Fault {
        public String kind() { return "loss"; }
    }

    /** The payment acquirer answers this many ms later; past the authorisation timeout, checkouts queue. */
    record AcquirerSlowdown(double extraMs) implements Fault {
        public String kind() { return "acquirer"; }
    }
}
