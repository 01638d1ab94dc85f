package io.edgedeck.client.model;

import java.util.List;

/**
 * The fleet as its aggregator knows it ({@code GET /api/v1/fleet} on {@code serve --fleet}, docs/FLEET.md
 * "Running a fleet"): totals since the records it read began, the last {@code windowSeconds} of event
 * time, each PoP with the nodes serving it, and each node's health. An immutable snapshot; fields a
 * newer aggregator adds are skipped by the client's reader.
 *
 * @param records       fleet records applied (copies and malformed records not counted)
 * @param duplicates    records dropped as copies of ones already applied
 * @param malformed     records that were not fleet records or did not parse
 * @param newestSecond  the newest second of any aggregate, epoch seconds (0 before any)
 * @param windowSeconds the span of each {@code recent} figure, ending at {@code newestSecond}
 * @param lag           records on the fleet's topics the aggregator has not read yet; -1 while unknown
 * @param kafka         whether the aggregator reaches Kafka; null from an aggregator that does not say
 * @param atMillis      the aggregator's clock when it answered, epoch ms: every node's {@code ageMillis} is from it;
 *                      0 from an aggregator that does not say
 * @param cueAnswerWithinMillis how long the aggregator usually takes at most to answer a cue fired for every node,
 *                      which follows its cue window ({@code serve --fleet --cue-window}); 0 from an aggregator that does
 *                      not say; the client clamps it where it waits
 */
public record FleetView(long records, long duplicates, long malformed, long newestSecond, int windowSeconds,
                        List<Pop> pops, List<Variant> variants, List<Node> nodes, Chat chat, Checkouts checkouts,
                        long lag, Kafka kafka, long atMillis, long cueAnswerWithinMillis) {
    /** A fleet as an aggregator that does not say how long its cues' answers take tells it. */
    public FleetView(long records, long duplicates, long malformed, long newestSecond, int windowSeconds,
                     List<Pop> pops, List<Variant> variants, List<Node> nodes, Chat chat, Checkouts checkouts, long lag, Kafka kafka,
                     long atMillis) {
        this(records, duplicates, malformed, newestSecond, windowSeconds, pops, variants, nodes, chat, checkouts, lag, kafka, atMillis,
                0);
    }

    /** A fleet as an aggregator that does not say its clock tells it. */
    public FleetView(long records, long duplicates, long malformed, long newestSecond, int windowSeconds,
                     List<Pop> pops, List<Variant> variants, List<Node> nodes, Chat chat, Checkouts checkouts, long lag, Kafka kafka) {
        this(records, duplicates, malformed, newestSecond, windowSeconds, pops, variants, nodes, chat, checkouts, lag, kafka, 0);
    }

    /** A fleet as an aggregator that does not say whether it reaches Kafka tells it. */
    public FleetView(long records, long duplicates, long malformed, long newestSecond, int windowSeconds,
                     List<Pop> pops, List<Variant> variants, List<Node> nodes, Chat chat, Checkouts checkouts, long lag) {
        this(records, duplicates, malformed, newestSecond, windowSeconds, pops, variants, nodes, chat, checkouts, lag, null);
    }

    /**
     * Whether the aggregator reaches Kafka. While it does not, no node's frame reaches it: a node's age then says
     * nothing of the node.
     *
     * @param reachable             false while Kafka does not answer the aggregator
     * @param unreachableSinceMillis when Kafka last answered it (epoch ms), while it does not; else 0
     * @param detail                why, in words, while it does not; else null
     */
    public record Kafka(boolean reachable, long unreachableSinceMillis, String detail) {
    }

    /** True while the aggregator says it cannot reach Kafka. */
    public boolean kafkaUnreachable() {
        return kafka != null && !kafka.reachable();
    }

    public FleetView {
        pops = pops == null ? List.of() : List.copyOf(pops);
        variants = variants == null ? List.of() : List.copyOf(variants);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        chat = chat == null ? new Chat(0, 0, 0) : chat;
        checkouts = checkouts == null ? new Checkouts(0, 0, 0, 0) : checkouts;
    }

    /** Latency figures over some span: requests, lost, and percentiles of the answered ones. */
    public record Latency(long requests, long lost, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }

    /**
     * A PoP across every node that serves it.
     *
     * @param nodes the nodes that serve it: one in a healthy fleet
     */
    public record Pop(String pop, Latency total, Latency recent, long conversions, List<String> nodes) {
        public Pop {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    /** A flag variant across the fleet, since the records began and over the recent window. */
    public record Variant(String flag, String variant, long exposures, long conversions, double value,
                          long messages, double sentimentSum, double sentimentSumSq, long recentExposures,
                          long recentConversions, long recentMessages, double recentSentimentSum,
                          double recentSentimentSumSq) {
    }

    /**
     * One node's health as the aggregator last heard of it.
     *
     * @param pops           the PoPs it serves (from its frames) and any it published aggregates for
     * @param records        its records applied
     * @param duplicates     copies of its records dropped
     * @param lastSeenMillis when the aggregator last heard from it: the node's own time of its newest frame (of its
     *                       newest record of any kind before its first frame), epoch ms; a node is silent when this is
     *                       more than {@link NodeCondition.Silent#AFTER_MILLIS} old
     * @param ageMillis      how old that was when the aggregator answered: how stale the fleet's view of the node is
     * @param newestSecond   its newest aggregate's second, epoch seconds
     * @param spoolPending   from its newest frame: records it has not yet got into Kafka
     * @param spoolRefused   from its newest frame: records its full spool refused (lost to the fleet)
     * @param controlOffset  from its newest frame: the last control record it applied
     * @param controlLag     from its newest frame: control records it has yet to apply; -1 while unknown
     * @param url            from its newest frame: where the aggregator reaches its API (and sends OFREP evaluations), or null
     */
    public record Node(String node, List<String> pops, long records, long duplicates, long lastSeenMillis,
                       long ageMillis, long newestSecond, long spoolPending, long spoolRefused,
                       long controlOffset, long controlLag, String url) {
        public Node {
            pops = pops == null ? List.of() : List.copyOf(pops);
        }

        /** A node whose frames name no URL. */
        public Node(String node, List<String> pops, long records, long duplicates, long lastSeenMillis, long ageMillis,
                    long newestSecond, long spoolPending, long spoolRefused, long controlOffset, long controlLag) {
            this(node, pops, records, duplicates, lastSeenMillis, ageMillis, newestSecond, spoolPending, spoolRefused,
                    controlOffset, controlLag, null);
        }
    }

    /** The fleet's chat: messages, and the sum and sum of squares of their sentiment. */
    public record Chat(long messages, double sentimentSum, double sentimentSumSq) {
    }

    /** The fleet's checkouts by state. */
    public record Checkouts(long started, long authorised, long queued, long reconciled) {
    }
}
