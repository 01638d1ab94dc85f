package io.edgedeck.simulator.fleet;

import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet-wide state an aggregator builds from the fleet's topics: per PoP, per node and per
 * variant. It depends only on the records applied and their order on each partition, so reading
 * the topics again from the same offsets rebuilds it exactly. Each second's latency stays as the
 * nodes encoded it and is decoded when a window is asked for: the last {@code windowSeconds} cost
 * a few hundred bytes per PoP and node each. Not thread-safe: one consumer thread applies, and
 * {@link #snapshot} is called under the aggregator's lock.
 */
public final class FleetState {

    private static final Logger LOG = LoggerFactory.getLogger(FleetState.class);

    private static final class Counts {
        long requests;
        long lost;
        long conversions;
        final List<String> histograms = new ArrayList<>(2);
    }

    private static final class ArmTotals {
        long exposures;
        long conversions;
        long movedIn;
        long movedConversions;
        BigDecimal value = BigDecimal.ZERO;
        long messages;
        BigDecimal sentimentSum = BigDecimal.ZERO;
        BigDecimal sentimentSumSq = BigDecimal.ZERO;

        void add(PopSecond.ArmCounts a) {
            exposures += a.exposures();
            conversions += a.conversions();
            movedIn += a.movedIn();
            movedConversions += a.movedConversions();
            value = value.add(exact(a.value()));
            messages += a.messages();
            sentimentSum = sentimentSum.add(exact(a.sentimentSum()));
            sentimentSumSq = sentimentSumSq.add(exact(a.sentimentSumSq()));
        }

        void add(ArmTotals a) {
            exposures += a.exposures;
            conversions += a.conversions;
            movedIn += a.movedIn;
            movedConversions += a.movedConversions;
            value = value.add(a.value);
            messages += a.messages;
            sentimentSum = sentimentSum.add(a.sentimentSum);
            sentimentSumSq = sentimentSumSq.add(a.sentimentSumSq);
        }
    }

    /**
     * Sums of doubles are kept exact, so they do not depend on the order partitions were read in:
     * a rebuilt state equals the first to the last bit.
     */
    private static BigDecimal exact(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("a sum that is not a finite number: " + d);
        }
        return new BigDecimal(d);
    }

    private static final class PopTotals {
        long requests;
        long lost;
        long conversions;
        final Histogram latency = LatencyHistograms.empty();
        final TreeSet<String> nodes = new TreeSet<>();
        final NavigableMap<Long, Counts> seconds = new TreeMap<>();
    }

    private static final class NodeState {
        final TreeSet<String> pops = new TreeSet<>();
        final TreeSet<String> framePops = new TreeSet<>();
        long records;
        long duplicates;
        /** The newest record's time, of any kind: when it was heard from only before its first frame. */
        long newestRecordMillis;
        long newestSecond;
        NodeFrame frame;

        /**
         * When the aggregator last heard from the node: its newest frame's time, as it sends one a second, whatever its
         * other records (aggregates spooled while its frames did not get through arrive after they stop); before its first
         * frame, its newest record's. The one time a node's silence is counted from ({@link FleetFrames#silent}).
         */
        long lastSeenMillis() {
            return frame != null ? frame.atMillis() : newestRecordMillis;
        }
    }

    private record ArmKey(String flag, String variant) implements Comparable<ArmKey> {
        @Override
        public int compareTo(ArmKey o) {
            int c = flag.compareTo(o.flag);
            return c != 0 ? c : variant.compareTo(o.variant);
        }
    }

    private final int windowSeconds;
    private final Deduplicator dedupe = new Deduplicator();
    private final TreeMap<String, PopTotals> pops = new TreeMap<>();
    private final TreeMap<ArmKey, ArmTotals> arms = new TreeMap<>();
    private final TreeMap<ArmKey, NavigableMap<Long, ArmTotals>> armSeconds = new TreeMap<>();
    private final TreeMap<String, NodeState> nodes = new TreeMap<>();
    private long chatMessages;
    private BigDecimal chatSum = BigDecimal.ZERO;
    private BigDecimal chatSumSq = BigDecimal.ZERO;
    private long started;
    private long authorised;
    private long queued;
    private long reconciled;
    private long records;
    private long duplicates;
    private long malformed;
    private long newestSecond;

    /** Where each aggregate applied goes too, once (the fleet's guardrails); nowhere unless set. */
    private java.util.function.Consumer<PopSecond> alsoTo = s -> { };

    /** Hands every aggregate applied from now on (duplicates and malformed ones never) to {@code to} as well. */
    public void onSecond(java.util.function.Consumer<PopSecond> to) {
        this.alsoTo = Objects.requireNonNull(to, "to");
    }

    /** @param windowSeconds the span of the {@code recent} figures, and how many seconds are kept for them */
    public FleetState(int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds: at least 1, got " + windowSeconds);
        }
        this.windowSeconds = windowSeconds;
    }

    /**
     * Applies one record from a fleet topic.
     *
     * @param timestampMillis the record's Kafka timestamp (the node's time when it spooled it)
     * @return whether it changed the state (false: a duplicate or malformed)
     */
    public boolean apply(String topic, String key, String node, long seq, String schema, byte[] value,
                         long timestampMillis) {
        if (node == null || seq < 0 || schema == null || value == null || key == null) {
            malformed++;
            LOG.warn("skipped a record on {} without the fleet's headers (node {}, seq {}, schema {})", topic, node, seq,
                    schema);
            return false;
        }
        if (!dedupe.firstTime(topic, node, key, seq)) {
            duplicates++;
            nodes.computeIfAbsent(node, n -> new NodeState()).duplicates++;
            return false;
        }
        try {
            switch (schema) {
                case PopSecond.SCHEMA -> applySecond(node, FleetJson.read(value, PopSecond.class));
                case NodeFrame.SCHEMA -> applyFrame(node, FleetJson.read(value, NodeFrame.class));
                case JournalEntry.SCHEMA -> requireNode(node, FleetJson.read(value, JournalEntry.class).node());
                default -> throw new IllegalArgumentException("unknown schema " + schema);
            }
        } catch (IllegalArgumentException e) {
            malformed++;
            LOG.warn("skipped a malformed record on {} from {} (seq {}): {}", topic, node, seq, e.getMessage());
            return false;
        }
        records++;
        NodeState n = nodes.computeIfAbsent(node, k -> new NodeState());
        n.records++;
        n.newestRecordMillis = Math.max(n.newestRecordMillis, timestampMillis);
        return true;
    }

    private static void requireNode(String header, String body) {
        if (!Objects.equals(header, body)) {
            throw new IllegalArgumentException("record of node " + body + " published by " + header);
        }
    }

    private void applySecond(String node, PopSecond s) {
        requireNode(node, s.node());
        if (s.pop() == null || s.pop().isBlank()) {
            throw new IllegalArgumentException("aggregate without a pop");
        }
        if (s.requests() < 0 || s.lost() < 0 || s.lost() > s.requests() || s.conversions() < 0) {
            throw new IllegalArgumentException("aggregate with impossible counts");
        }
        for (PopSecond.ArmCounts a : s.arms()) {
            if (a.flag() == null || a.variant() == null || a.exposures() < 0 || a.conversions() < 0 || a.messages() < 0
                    || a.movedIn() < 0 || a.movedConversions() < 0
                    || !Double.isFinite(a.value() + a.sentimentSum() + a.sentimentSumSq())) {
                throw new IllegalArgumentException("aggregate with an impossible arm " + a);
            }
        }
        if (!Double.isFinite(s.chat().sentimentSum() + s.chat().sentimentSumSq())) {
            throw new IllegalArgumentException("aggregate with a chat sum that is not a number");
        }
        // Decoded before anything changes: a bad histogram leaves the state as it was.
        Histogram h = s.latencyUs() == null ? LatencyHistograms.empty() : LatencyHistograms.decode(s.latencyUs());
        PopTotals p = pops.computeIfAbsent(s.pop(), k -> new PopTotals());
        p.requests += s.requests();
        p.lost += s.lost();
        p.conversions += s.conversions();
        p.latency.add(h);
        p.nodes.add(node);
        Counts c = p.seconds.computeIfAbsent(s.second(), k -> new Counts());
        c.requests += s.requests();
        c.lost += s.lost();
        c.conversions += s.conversions();
        if (h.getTotalCount() > 0) {
            c.histograms.add(s.latencyUs());
        }
        for (PopSecond.ArmCounts a : s.arms()) {
            ArmKey k = new ArmKey(a.flag(), a.variant());
            arms.computeIfAbsent(k, x -> new ArmTotals()).add(a);
            armSeconds.computeIfAbsent(k, x -> new TreeMap<>()).computeIfAbsent(s.second(), x -> new ArmTotals()).add(a);
        }
        chatMessages += s.chat().messages();
        chatSum = chatSum.add(exact(s.chat().sentimentSum()));
        chatSumSq = chatSumSq.add(exact(s.chat().sentimentSumSq()));
        started += s.checkouts().started();
        authorised += s.checkouts().authorised();
        queued += s.checkouts().queued();
        reconciled += s.checkouts().reconciled();
        alsoTo.accept(s);
        NodeState n = nodes.computeIfAbsent(node, k -> new NodeState());
        n.pops.add(s.pop());
        n.newestSecond = Math.max(n.newestSecond, s.second());
        if (s.second() > newestSecond) {
            newestSecond = s.second();
            trim();
        }
    }

    private void applyFrame(String node, NodeFrame f) {
        requireNode(node, f.node());
        NodeState n = nodes.computeIfAbsent(node, k -> new NodeState());
        if (n.frame == null || f.atMillis() >= n.frame.atMillis()) {
            n.frame = f;
            n.framePops.clear();
            n.framePops.addAll(f.pops());
        }
    }

    private void trim() {
        long oldest = newestSecond - windowSeconds + 1;
        for (PopTotals p : pops.values()) {
            p.seconds.headMap(oldest, false).clear();
        }
        for (NavigableMap<Long, ArmTotals> m : armSeconds.values()) {
            m.headMap(oldest, false).clear();
        }
    }

    /** The state now; {@code nowMillis} (the aggregator's clock) is its {@code atMillis} and sets each node's {@code ageMillis}. */
    public FleetSnapshot snapshot(long nowMillis) {
        long oldest = newestSecond - windowSeconds + 1;
        List<FleetSnapshot.PopView> popViews = new ArrayList<>();
        pops.forEach((id, p) -> {
            Histogram recent = LatencyHistograms.empty();
            long requests = 0;
            long lost = 0;
            for (Counts c : p.seconds.tailMap(oldest, true).values()) {
                requests += c.requests;
                lost += c.lost;
                for (String enc : c.histograms) {
                    recent.add(LatencyHistograms.decode(enc));
                }
            }
            popViews.add(new FleetSnapshot.PopView(id, latency(p.requests, p.lost, p.latency),
                    latency(requests, lost, recent), p.conversions, List.copyOf(p.nodes)));
        });
        List<FleetSnapshot.VariantView> variants = new ArrayList<>();
        arms.forEach((k, t) -> {
            ArmTotals r = new ArmTotals();
            NavigableMap<Long, ArmTotals> secs = armSeconds.getOrDefault(k, new TreeMap<>());
            for (ArmTotals s : secs.tailMap(oldest, true).values()) {
                r.add(s);
            }
            variants.add(new FleetSnapshot.VariantView(k.flag(), k.variant(), t.exposures, t.conversions,
                    t.value.doubleValue(), t.messages, t.sentimentSum.doubleValue(), t.sentimentSumSq.doubleValue(),
                    r.exposures, r.conversions, r.messages, r.sentimentSum.doubleValue(),
                    r.sentimentSumSq.doubleValue(), t.movedIn, t.movedConversions));
        });
        List<FleetSnapshot.NodeView> nodeViews = new ArrayList<>();
        nodes.forEach((id, n) -> {
            TreeSet<String> served = new TreeSet<>(n.framePops);
            served.addAll(n.pops);
            NodeFrame f = n.frame;
            nodeViews.add(new FleetSnapshot.NodeView(id, List.copyOf(served), n.records, n.duplicates,
                    n.lastSeenMillis(), n.lastSeenMillis() == 0 ? -1 : nowMillis - n.lastSeenMillis(), n.newestSecond,
                    f == null ? -1 : f.spoolPending(), f == null ? -1 : f.spoolRefused(),
                    f == null ? -1 : f.controlOffset(), f == null ? -1 : f.controlLag(), f == null ? null : f.url()));
        });
        return new FleetSnapshot(nowMillis, records, duplicates, malformed, newestSecond, windowSeconds, List.copyOf(popViews),
                List.copyOf(variants), List.copyOf(nodeViews),
                new FleetSnapshot.ChatView(chatMessages, chatSum.doubleValue(), chatSumSq.doubleValue()),
                new FleetSnapshot.CheckoutView(started, authorised, queued, reconciled));
    }

    /** Each node's newest frame, by node id; a node that has published none is left out. */
    public Map<String, NodeFrame> nodeFrames() {
        Map<String, NodeFrame> out = new TreeMap<>();
        nodes.forEach((id, n) -> {
            if (n.frame != null) {
                out.put(id, n.frame);
            }
        });
        return out;
    }

    /** Records applied (duplicates and malformed ones not counted). */
    public long records() {
        return records;
    }

    private static FleetSnapshot.Latency latency(long requests, long lost, Histogram h) {
        return new FleetSnapshot.Latency(requests, lost, LatencyHistograms.percentileMillis(h, 50),
                LatencyHistograms.percentileMillis(h, 95), LatencyHistograms.percentileMillis(h, 99),
                h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1000.0);
    }
}
