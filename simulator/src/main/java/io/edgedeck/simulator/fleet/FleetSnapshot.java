package io.edgedeck.simulator.fleet;

import java.util.List;

/**
 * The fleet as the aggregator knows it at one moment: totals since the records it read began, the
 * last {@code windowSeconds} of event time, and each node's health. Immutable; two aggregators
 * that read the same records make equal snapshots for the same {@code nowMillis}.
 *
 * @param atMillis      the aggregator's clock when it made the snapshot, epoch ms: every node's {@code ageMillis} is from it
 * @param records       fleet records applied (duplicates and malformed records not counted)
 * @param duplicates    records dropped as copies of ones already applied
 * @param malformed     records that were not fleet records or did not parse (logged, skipped)
 * @param newestSecond  the newest second of any aggregate, epoch seconds (0 before any)
 * @param windowSeconds the length of each {@code recent} figure, ending at {@code newestSecond}
 */
public record FleetSnapshot(long atMillis, long records, long duplicates, long malformed, long newestSecond, int windowSeconds,
                            List<PopView> pops, List<VariantView> variants, List<NodeView> nodes, ChatView chat,
                            CheckoutView checkouts) {

    /** Latency figures over some span: requests, lost and percentiles of the answered ones. */
    public record Latency(long requests, long lost, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }

    /** A PoP across every node that serves it. */
    public record PopView(String pop, Latency total, Latency recent, long conversions, List<String> nodes) {
    }

    /** A flag variant across the fleet. */
    public record VariantView(String flag, String variant, long exposures, long conversions, double value,
                              long messages, double sentimentSum, double sentimentSumSq, long recentExposures,
                              long recentConversions, long recentMessages, double recentSentimentSum,
                              double recentSentimentSumSq, long movedIn, long movedConversions) {
        /** The mean compound score of the arm's chat, or 0 without messages. */
        public double sentimentMean() {
            return messages == 0 ? 0.0 : sentimentSum / messages;
        }
    }

    /**
     * One node's health.
     *
     * @param pops             the PoPs it serves (from its frames) and any it published aggregates for
     * @param records          its records applied
     * @param duplicates       copies of its records dropped
     * @param lastSeenMillis   when the aggregator last heard from it: the node's own time of its newest frame (of its newest
     *                         record of any kind before its first frame), epoch ms; silent when more than 5 s old
     * @param ageMillis        {@code nowMillis - lastSeenMillis}: how stale the fleet's view of it is
     * @param newestSecond     its newest aggregate's second
     * @param spoolPending     from its newest frame: records it has not yet got into Kafka
     * @param spoolRefused     from its newest frame: records its full spool refused
     * @param controlOffset    from its newest frame: the last control record it applied
     * @param controlLag       from its newest frame: control records it has yet to apply
     * @param url              from its newest frame: where the aggregator reaches its API, or null
     */
    public record NodeView(String node, List<String> pops, long records, long duplicates, long lastSeenMillis,
                           long ageMillis, long newestSecond, long spoolPending, long spoolRefused,
                           long controlOffset, long controlLag, String url) {
    }

    public record ChatView(long messages, double sentimentSum, double sentimentSumSq) {
    }

    public record CheckoutView(long started, long authorised, long queued, long reconciled) {
    }
}
