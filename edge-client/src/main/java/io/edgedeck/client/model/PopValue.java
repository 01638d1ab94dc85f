package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What one PoP cost and what it brought in since the show started (docs/COST.md), as the node counts
 * it: its cost from the node configuration's prices, the conversions of sessions it is home to, the
 * revenue those carried, and the requests and conversions of its seconds in the fast and the slow
 * latency band.
 *
 * @param cost            what it has cost so far, in the producer's currency; null when the
 *                        configuration gives no PoP a cost
 * @param conversions     conversions by sessions whose home PoP it is
 * @param revenue         the value those conversions carried, summed; 0 when they carry none
 *                        (a rehearsal's simulated checkouts carry none)
 * @param fastRequests    requests served in its seconds whose 10 s p95 was under its normal + 50 ms
 * @param fastConversions conversions counted in those seconds
 * @param slowRequests    requests served in its seconds whose 10 s p95 was its normal + 50 ms or more
 * @param slowConversions conversions counted in those seconds
 */
public record PopValue(Double cost, long conversions, double revenue, long fastRequests, long fastConversions,
                       long slowRequests, long slowConversions) {
    /** From a node that counts none. */
    public static final PopValue NONE = new PopValue(null, 0, 0, 0, 0, 0, 0);

    /** Conversions per unit of cost; null with no cost known or nothing spent yet. */
    @JsonIgnore
    public Double conversionsPerCost() {
        return cost == null || cost <= 0 ? null : conversions / cost;
    }

    /** Revenue per unit of cost; null with no cost known or nothing spent yet. */
    @JsonIgnore
    public Double revenuePerCost() {
        return cost == null || cost <= 0 ? null : revenue / cost;
    }
}
