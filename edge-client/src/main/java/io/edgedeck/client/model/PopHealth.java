package io.edgedeck.client.model;

/** What routing currently makes of a PoP. */
public enum PopHealth {
    /** Serving within capacity. */
    UP,
    /** Serving, but shedding to other PoPs or queueing (over capacity, or a fault that slows it). */
    DEGRADED,
    /** Out of service: requests go to the next PoP; checkouts there queue. */
    DOWN,
    /** Serves its audience but cannot reach the payment acquirer or the control plane. */
    PARTITIONED
}
