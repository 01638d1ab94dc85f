package io.edgedeck.client.model;

/** What the edge makes of a PoP right now. */
public enum PopHealth {
    /** Serving within capacity and its objectives. */
    UP,
    /** Serving, but shedding to other PoPs or queueing, slowed by a fault, or over its latency or loss objective. */
    DEGRADED,
    /** Out of service (or every request lost): requests go to the next PoP; checkouts there queue. */
    DOWN,
    /** Serves its audience but cannot reach the payment acquirer or the control plane. */
    PARTITIONED,
    /** Nothing observed at the PoP for a while: its state is unknown, which is not the same as up. */
    NO_DATA
}
