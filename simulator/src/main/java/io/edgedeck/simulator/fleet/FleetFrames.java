package io.edgedeck.simulator.fleet;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.EncoderHealth;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.GuardrailFiring;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.LearnedEmote;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopSlo;
import io.edgedeck.client.model.PopValue;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.client.model.ShowState;
import io.edgedeck.client.model.TriggerMetrics;
import io.edgedeck.client.model.VariantMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes the fleet's metrics frame, the one the aggregator streams as {@code GET /api/v1/frames/stream},
 * from each node's newest {@link NodeFrame} (which carries the node's own latest metrics frame):
 *
 * <ul>
 *   <li><b>PoPs</b>: each from the frames of the nodes that serve it, as they measured it; a PoP several nodes serve
 *   is their shares merged ({@link #merged}). Each PoP names the nodes serving it in data ({@link PopMetrics#servedBy}).
 *   A node whose newest frame is older than {@link #STALE_MILLIS} is silent ({@link #silent}) and does not look live:
 *   its PoPs are {@link PopHealth#NO_DATA} with a fault naming the node and how long it has been silent, and the fleet's
 *   condition says so.</li>
 *   <li><b>Variants</b>: exposures, conversions, value, chat messages and the moved cohort summed exactly over
 *   the nodes; the chat mean is the sum of the nodes' scores over the summed messages, never a mean of means.</li>
 *   <li><b>Checkouts, events, chat, triggers</b>: summed; chat's window figures weighted by each node's window.</li>
 *   <li><b>Flags</b>: from the node that applied the newest control record (its {@code controlOffset}); a flag's
 *   PoPs are the distinct PoPs of the nodes that have it, and a PoP is acknowledged when every node serving it is
 *   heard from, has the flag in the same state and runs its version there.</li>
 *   <li><b>Guardrails and firings</b>: listed per node, each id or rule followed by {@code " @ NODE"}: a guardrail
 *   decides on its own node's evidence, and a fleet frame does not pretend otherwise.</li>
 *   <li><b>Time</b>: each node's engine time counts from its own start; the fleet's counts from the earliest
 *   node's, and timeline marks, firings and guardrail times are moved onto it and merged in time order.</li>
 *   <li><b>Condition</b>: the worst of the nodes' (a failed node makes the fleet read-only, not failed: the rest of it
 *   is live), its detail naming each node that is not OK or is silent.</li>
 * </ul>
 *
 * <p>Not thread-safe: one caller (the aggregator's frame thread) at a time.
 */
public final class FleetFrames {

    private static final Logger LOG = LoggerFactory.getLogger(FleetFrames.class);

    /**
     * A node's frame older than this (by the aggregator's clock against the node's) is stale: the node is silent, by the
     * one threshold the console's Fleet tab uses too ({@link NodeCondition.Silent#AFTER_MILLIS}).
     */
    public static final long STALE_MILLIS = NodeCondition.Silent.AFTER_MILLIS;
    /** Timeline marks kept, newest last, as a node keeps its newest few hundred. */
    static final int TIMELINE_KEPT = 300;
    /** Top emotes and learned emotes kept, as a node's chat metrics keep them. */
    private static final int TOP_EMOTES = 5;
    private static final int LEARNED_EMOTES = 8;

    /** A node's frame as read: the metrics frame inside it, parsed once. */
    private record Parsed(NodeFrame node, MetricsFrame frame) {
    }

    private final Map<String, Parsed> parsed = new HashMap<>();
    /** Per node, the earliest wall-clock instant its engine time can count from (ms); see {@link #epochOf}. */
    private final Map<String, Double> epochs = new HashMap<>();
    private long sequence;

    /**
     * The fleet's frame now, or null before any node has sent a frame with a metrics frame in it.
     *
     * @param nodes     each node's newest frame ({@link FleetAggregator#nodeFrames})
     * @param nowMillis the aggregator's clock, epoch ms: how old each node's frame is
     */
    public MetricsFrame frame(Map<String, NodeFrame> nodes, long nowMillis) {
        return frame(nodes, nowMillis, List.of(), List.of());
    }

    /**
     * The same, with the rules the aggregator decides on the fleet's evidence and their firings (times in epoch
     * ms), listed first as {@code RULE @ fleet}.
     */
    public MetricsFrame frame(Map<String, NodeFrame> nodes, long nowMillis, List<GuardrailStatus> fleetRules,
                              List<GuardrailFiring> fleetFirings) {
        return frame(nodes, nowMillis, fleetRules, fleetFirings, null);
    }

    /**
     * The same, while the aggregator cannot reach Kafka ({@code kafka}, null while it can): no node's frame can
     * reach it then, so a node whose frame is old is not known to be silent. Its PoPs still show no data (what
     * they do now is not known), and the fault and the fleet's condition say the aggregator cannot reach Kafka,
     * since when, rather than that the nodes went silent.
     */
    public MetricsFrame frame(Map<String, NodeFrame> nodes, long nowMillis, List<GuardrailStatus> fleetRules,
                              List<GuardrailFiring> fleetFirings, FleetAggregator.Outage kafka) {
        List<Parsed> live = new ArrayList<>();
        for (NodeFrame n : new TreeMap<>(nodes).values()) {
            Parsed p = parse(n);
            if (p != null) {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return null;
        }
        double fleetEpoch = Double.MAX_VALUE;
        for (Parsed p : live) {
            fleetEpoch = Math.min(fleetEpoch, epochOf(p));
        }
        long engineMillis = 0;
        for (Parsed p : live) {
            engineMillis = Math.max(engineMillis, onFleetTime(p, p.frame.engineMillis(), fleetEpoch));
        }
        // Each silent node by when it was last heard from: its newest frame, /api/v1/fleet's lastSeenMillis.
        Map<String, Long> silent = new TreeMap<>();
        for (Parsed p : live) {
            if (silent(p.node.atMillis(), nowMillis)) {
                silent.put(p.node.node(), p.node.atMillis());
            }
        }
        MetricsFrame first = live.getFirst().frame;
        TreeSet<String> scenarios = new TreeSet<>();
        TreeSet<Long> seeds = new TreeSet<>();
        boolean running = false;
        for (Parsed p : live) {
            scenarios.add(p.frame.scenario());
            seeds.add(p.frame.seed());
            running |= p.frame.state() == ShowState.RUNNING;
        }
        ShowState state = running ? ShowState.RUNNING : first.state();
        sequence++;
        return new MetricsFrame(sequence, engineMillis, String.join(" + ", scenarios), seeds.size() == 1 ? seeds.first() : 0,
                state, 1, 0, pops(live, silent, kafka, nowMillis), variants(live), checkouts(live), events(live),
                chat(live.stream().map(p -> p.frame.chat()).toList()), flags(live, silent),
                guardrails(live, fleetEpoch, fleetRules), firings(live, fleetEpoch, fleetFirings), triggers(live), timeline(live, fleetEpoch), encoder(live),
                condition(live, silent, kafka, nowMillis), decisions(live));
    }

    private Parsed parse(NodeFrame n) {
        if (n.frame() == null || n.frame().isNull()) {
            return null;
        }
        Parsed known = parsed.get(n.node());
        if (known != null && known.node.atMillis() == n.atMillis()) {
            return known;
        }
        try {
            MetricsFrame f = FleetJson.MAPPER.treeToValue(n.frame(), MetricsFrame.class);
            Parsed p = new Parsed(n, Objects.requireNonNull(f, "frame"));
            parsed.put(n.node(), p);
            return p;
        } catch (Exception e) {
            // The last frame of this node that could be read stays in use; a node with none is left out.
            LOG.warn("the metrics frame in {}'s node frame at {} could not be read: {}", n.node(), n.atMillis(), e.getMessage());
            return known;
        }
    }

    /**
     * When the node's engine time began, on its own wall clock: its frame's send time less its engine time at the
     * node's speed. A frame is made a little before it is sent, so each estimate is late by that much; the earliest
     * estimate seen is kept, so the fleet's time line does not wobble with it.
     */
    private double epochOf(Parsed p) {
        double speed = p.frame.speed() > 0 ? p.frame.speed() : 1;
        double estimate = p.node.atMillis() - p.frame.engineMillis() / speed;
        return epochs.merge(p.node.node(), estimate, Math::min);
    }

    /** A time of {@code p}'s engine on the fleet's time line: wall ms since the earliest node's engine time began. */
    private long onFleetTime(Parsed p, long nodeEngineMillis, double fleetEpoch) {
        double speed = p.frame.speed() > 0 ? p.frame.speed() : 1;
        return Math.round(epochs.get(p.node.node()) + nodeEngineMillis / speed - fleetEpoch);
    }

    private static List<PopMetrics> pops(List<Parsed> live, Map<String, Long> silent, FleetAggregator.Outage kafka,
                                         long nowMillis) {
        // Every node serving a PoP measures its own share of the PoP's viewers: the PoP is all of them together.
        Map<String, List<PopMetrics>> parts = new TreeMap<>();
        for (Parsed p : live) {
            List<String> served = served(p);
            for (PopMetrics m : p.frame.pops()) {
                if (!served.contains(m.id())) {
                    continue;
                }
                String node = p.node.node();
                Long heard = silent.get(node);
                PopMetrics.ServedBy by = new PopMetrics.ServedBy(node, heard != null && kafka == null, p.node.atMillis(),
                        heard != null && kafka == null ? silence(node, heard, nowMillis) : null);
                parts.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(heard == null
                        ? servedBy(m, List.of(by), m.faults(), m.health(), m.throughputRps())
                        : silentPop(m, by, kafka == null ? by.fault() : unheard(node, nowMillis - heard)));
            }
        }
        List<PopMetrics> out = new ArrayList<>();
        parts.values().forEach(ms -> out.add(ms.size() == 1 ? ms.getFirst() : merged(ms)));
        return out;
    }

    /**
     * How bad a PoP's health is, for the worst of several nodes' shares of it: a share nothing is known of (its node
     * silent) is worse than one up, never counted as healthy, and better than one known to be degraded, partitioned
     * or down.
     */
    private static int badness(PopHealth h) {
        return switch (h) {
            case UP -> 0;
            case NO_DATA -> 1;
            case DEGRADED -> 2;
            case PARTITIONED -> 3;
            case DOWN -> 4;
        };
    }

    /**
     * One PoP that several nodes serve, from each node's share: counts, throughput, queues and value summed; the
     * loss ratio from the summed served and lost requests of the last 10 s; the health the worst share's; faults
     * every share's. The frames carry percentiles, not histograms, so each latency window's percentiles, its
     * maximum and the jitter are the highest share's, which bound the whole PoP's from above (a quantile of the
     * whole lies between the lowest and the highest of its parts'); its baseline is that of the share with the
     * highest 10 s p95, and its degraded seconds the longest share's. What the PoP serves now (the latency windows,
     * jitter, loss, throughput, queues) is the shares heard from: a silent node's last figures say nothing of now, so
     * they neither add to the PoP's traffic nor set its p95; its share still counts in the health and the faults, and
     * in the totals so far. Only when every share is silent are their last figures all there is.
     */
    static PopMetrics merged(List<PopMetrics> parts) {
        PopMetrics first = parts.getFirst();
        PopHealth health = first.health();
        for (PopMetrics m : parts) {
            health = badness(m.health()) > badness(health) ? m.health() : health;
        }
        List<PopMetrics> heard = parts.stream().filter(m -> m.health() != PopHealth.NO_DATA).toList();
        List<PopMetrics> now = heard.isEmpty() ? parts : heard;
        PopMetrics slowest = now.getFirst();
        double jitter = 0;
        double throughput = 0;
        long requests = 0;
        long errors = 0;
        double degraded = 0;
        long queue = 0;
        long pending = 0;
        double served = 0;
        double lost = 0;
        double highestLoss = 0;
        boolean lossUncounted = false;
        LinkedHashSet<String> faults = new LinkedHashSet<>();
        List<PopMetrics.ServedBy> servedBy = new ArrayList<>();
        for (PopMetrics m : parts) {
            servedBy.addAll(m.servedBy());
            requests += m.requests();
            errors += m.errors();
            degraded = Math.max(degraded, m.degradedSeconds());
            faults.addAll(m.faults());
        }
        for (PopMetrics m : now) {
            slowest = m.last10s().p95Ms() > slowest.last10s().p95Ms() ? m : slowest;
            jitter = Math.max(jitter, m.jitterMs());
            throughput += m.throughputRps();
            queue += m.queueDepth();
            pending += m.pendingCheckouts();
            highestLoss = Math.max(highestLoss, m.lossRatio());
            // A share's lost requests are not in its frame: its ratio over the requests it served says how many.
            if (m.lossRatio() >= 1) {
                lossUncounted = true;
            } else {
                served += m.last10s().count();
                lost += m.last10s().count() * m.lossRatio() / (1 - m.lossRatio());
            }
        }
        // A share that lost every request served none to count its losses by: the highest ratio then stands for all.
        double loss = lossUncounted ? highestLoss : served + lost == 0 ? 0 : lost / (served + lost);
        return new PopMetrics(first.id(), first.region(), health, window(now, PopMetrics::last10s),
                window(now, PopMetrics::last60s), jitter, loss, throughput, requests, errors, degraded, queue, pending,
                List.copyOf(faults), slowest.baseline(), value(parts), strictest(parts), servedBy);
    }

    /**
     * The objectives of several shares of one PoP: the strictest p95 a node declares, with its loss (the first
     * declared, where none declares a p95); null when none declares any.
     */
    private static PopSlo strictest(List<PopMetrics> parts) {
        PopSlo out = null;
        for (PopMetrics m : parts) {
            PopSlo s = m.slo();
            if (s != null && (out == null || s.declaresP95() && (!out.declaresP95() || s.p95Ms() < out.p95Ms()))) {
                out = s;
            }
        }
        return out;
    }

    /** One latency window of several shares: their requests summed, each percentile and the maximum the highest share's. */
    private static LatencyWindow window(List<PopMetrics> parts, java.util.function.Function<PopMetrics, LatencyWindow> of) {
        int seconds = 0;
        long count = 0;
        double p50 = 0;
        double p95 = 0;
        double p99 = 0;
        double max = 0;
        for (PopMetrics m : parts) {
            LatencyWindow w = of.apply(m);
            seconds = Math.max(seconds, w.seconds());
            count += w.count();
            if (w.count() > 0) {
                p50 = Math.max(p50, w.p50Ms());
                p95 = Math.max(p95, w.p95Ms());
                p99 = Math.max(p99, w.p99Ms());
                max = Math.max(max, w.maxMs());
            }
        }
        return new LatencyWindow(seconds, count, p50, p95, p99, max);
    }

    /** What several shares of one PoP cost and brought in: summed; the cost unknown only when no share knows it. */
    private static PopValue value(List<PopMetrics> parts) {
        Double cost = null;
        long conversions = 0;
        double revenue = 0;
        long fast = 0;
        long fastConversions = 0;
        long slow = 0;
        long slowConversions = 0;
        for (PopMetrics m : parts) {
            PopValue v = m.value();
            if (v.cost() != null) {
                cost = cost == null ? v.cost() : Double.valueOf(cost + v.cost());
            }
            conversions += v.conversions();
            revenue += v.revenue();
            fast += v.fastRequests();
            fastConversions += v.fastConversions();
            slow += v.slowRequests();
            slowConversions += v.slowConversions();
        }
        return new PopValue(cost, conversions, revenue, fast, fastConversions, slow, slowConversions);
    }

    /**
     * A silent node's PoP: its last figures, marked as unknown now, with {@code why}; no throughput, since its last rate
     * is not traffic now (the fleet's throughput is its PoPs' summed, and would count it as live).
     */
    private static PopMetrics silentPop(PopMetrics m, PopMetrics.ServedBy by, String why) {
        List<String> faults = new ArrayList<>(m.faults());
        faults.add(why);
        return servedBy(m, List.of(by), faults, PopHealth.NO_DATA, 0);
    }

    /** {@code m} served by {@code by}, with {@code faults}, {@code health} and {@code throughputRps}. */
    private static PopMetrics servedBy(PopMetrics m, List<PopMetrics.ServedBy> by, List<String> faults, PopHealth health,
                                       double throughputRps) {
        return new PopMetrics(m.id(), m.region(), health, m.last10s(), m.last60s(), m.jitterMs(), m.lossRatio(),
                throughputRps, m.requests(), m.errors(), m.degradedSeconds(), m.queueDepth(), m.pendingCheckouts(),
                faults, m.baseline(), m.value(), m.slo(), by);
    }

    /**
     * Whether a node last heard from at {@code lastSeenMillis} (its newest frame's time, {@code GET /api/v1/fleet}'s
     * {@code lastSeenMillis}) is silent at {@code nowMillis}, the aggregator's clock: the one rule by which the fleet's
     * frame, its OFREP and its cues call a node silent.
     */
    public static boolean silent(long lastSeenMillis, long nowMillis) {
        return nowMillis - lastSeenMillis > STALE_MILLIS;
    }

    /** A silent node in words, its seconds counted from {@code lastSeenMillis}: "node node-c silent 24 s". */
    public static String silence(String node, long lastSeenMillis, long nowMillis) {
        return NodeCondition.Silent.words(node, Math.max(0, nowMillis - lastSeenMillis) / 1000 + " s");
    }

    /** A node not heard of while Kafka is out of the aggregator's reach: not known to be silent. */
    public static String unheard(String node, long ageMillis) {
        return "node " + node + " not heard for " + ageMillis / 1000 + " s: the aggregator cannot reach Kafka";
    }

    /** "the aggregator cannot reach Kafka since 05:58:10 UTC (85 s)". */
    public static String unreachable(FleetAggregator.Outage kafka, long nowMillis) {
        return "the aggregator cannot reach Kafka since " + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(kafka.sinceMillis()))
                + " (" + Math.max(0, nowMillis - kafka.sinceMillis()) / 1000 + " s)";
    }

    private record ArmKey(String flag, String variant) {
    }

    private static List<VariantMetrics> variants(List<Parsed> live) {
        Map<ArmKey, List<VariantMetrics>> arms = new LinkedHashMap<>();
        for (Parsed p : live) {
            for (VariantMetrics v : p.frame.variants()) {
                arms.computeIfAbsent(new ArmKey(v.flag(), v.variant()), k -> new ArrayList<>()).add(v);
            }
        }
        List<VariantMetrics> out = new ArrayList<>();
        arms.forEach((k, vs) -> {
            long exposures = 0;
            long conversions = 0;
            long messages = 0;
            double scoreSum = 0;
            double value = 0;
            long movedIn = 0;
            long movedConversions = 0;
            boolean control = false;
            for (VariantMetrics v : vs) {
                exposures += v.exposures();
                conversions += v.conversions();
                messages += v.chatMessages();
                scoreSum += v.chatMeanScore() * v.chatMessages();
                value += v.conversionValue();
                movedIn += v.movedIn();
                movedConversions += v.movedConversions();
                control |= v.control();
            }
            // No newest exposure's show time: each node's show clock is its own, so no one time says it for the fleet.
            out.add(new VariantMetrics(k.flag(), k.variant(), control, exposures, conversions, messages,
                    messages == 0 ? 0 : scoreSum / messages, chat(vs.stream().map(VariantMetrics::chat).toList()), value,
                    movedIn, movedConversions));
        });
        return out;
    }

    /**
     * Several nodes' chat as one: counts and rates summed; the window's mean and net sentiment over the scored
     * messages of every node (each node's weighted by its scored messages, which makes them the means of the
     * whole); shares weighted by each node's window; the spike ratio as the summed rate over the summed baselines.
     * A mean's interval cannot be rebuilt from several nodes' intervals: it is given only when one node has chat.
     */
    static ChatMetrics chat(List<ChatMetrics> all) {
        List<ChatMetrics> heard = all.stream().filter(c -> c.messages() > 0).toList();
        if (heard.isEmpty()) {
            return all.isEmpty() ? ChatMetrics.EMPTY : all.getFirst();
        }
        if (heard.size() == 1) {
            return heard.getFirst();
        }
        long messages = 0;
        double perMinute = 0;
        double baseline = 0;
        long scored = 0;
        double scoreSum = 0;
        double netSum = 0;
        double signal = 0;
        double other = 0;
        for (ChatMetrics c : heard) {
            messages += c.messages();
            perMinute += c.messagesPerMinute();
            baseline += c.spikeRatio() > 0 ? c.messagesPerMinute() / c.spikeRatio() : 0;
            scored += c.scoredMessages();
            scoreSum += c.meanScore() * c.scoredMessages();
            netSum += c.netSentiment() * c.scoredMessages();
            signal += c.signalShare() * c.messagesPerMinute();
            other += c.otherLanguageShare() * c.messagesPerMinute();
        }
        // The busiest window's emotes first: the nodes' own rankings, merged without counts to weigh them by.
        List<ChatMetrics> busiest = heard.stream().sorted(Comparator.comparingDouble(ChatMetrics::messagesPerMinute).reversed()).toList();
        LinkedHashSet<String> emotes = new LinkedHashSet<>();
        Map<String, LearnedEmote> learned = new LinkedHashMap<>();
        for (ChatMetrics c : busiest) {
            emotes.addAll(c.topEmotes());
            for (LearnedEmote e : c.learnedEmotes()) {
                learned.putIfAbsent(e.name(), e);
            }
        }
        return new ChatMetrics(messages, perMinute, baseline > 0 ? perMinute / baseline : 1, scored == 0 ? 0 : netSum / scored,
                scored == 0 ? 0 : scoreSum / scored, emotes.stream().limit(TOP_EMOTES).toList(), scored,
                perMinute > 0 ? signal / perMinute : 0, perMinute > 0 ? other / perMinute : 0, null, null,
                learned.values().stream().limit(LEARNED_EMOTES).toList());
    }

    private static CheckoutCounts checkouts(List<Parsed> live) {
        long attempted = 0;
        long completed = 0;
        long queued = 0;
        long reconciled = 0;
        long lost = 0;
        long pending = 0;
        CheckoutCounts.TokenOutcomes tokens = null;
        for (Parsed p : live) {
            CheckoutCounts c = p.frame.checkouts();
            if (c == null) {
                continue;
            }
            attempted += c.attempted();
            completed += c.completed();
            queued += c.queued();
            reconciled += c.reconciled();
            lost += c.lost();
            pending += c.pending();
            if (c.tokens() != null) {
                tokens = tokens == null ? c.tokens() : new CheckoutCounts.TokenOutcomes(tokens.accepted() + c.tokens().accepted(),
                        tokens.expired() + c.tokens().expired(), tokens.forged() + c.tokens().forged(),
                        tokens.replayed() + c.tokens().replayed());
            }
        }
        return new CheckoutCounts(attempted, completed, queued, reconciled, lost, pending, tokens);
    }

    private static EventCounts events(List<Parsed> live) {
        long total = 0;
        long delivered = 0;
        long lost = 0;
        for (Parsed p : live) {
            EventCounts e = p.frame.events();
            if (e != null) {
                total += e.total();
                delivered += e.delivered();
                lost += e.lost();
            }
        }
        return new EventCounts(total, delivered, lost);
    }

    /**
     * The flags of the node that applied the newest control record. A flag's PoPs are the distinct PoPs of the nodes
     * that have it, a PoP two nodes serve counted once; a PoP is acknowledged when every node serving it is heard from
     * (what a silent node's PoPs run now is not known), has the flag in the same state and runs it there.
     */
    private static List<FlagView> flags(List<Parsed> live, Map<String, Long> silent) {
        Parsed newest = live.stream().max(Comparator.comparingLong((Parsed p) -> p.node.controlOffset())
                .thenComparingLong(p -> p.node.atMillis())).orElseThrow();
        List<FlagView> out = new ArrayList<>();
        for (FlagView f : newest.frame.flags()) {
            java.util.SortedSet<String> total = new TreeSet<>();
            java.util.Set<String> notAcknowledged = new java.util.HashSet<>();
            java.util.Set<String> acknowledged = new java.util.HashSet<>();
            // Each node rolls a variant back at the PoPs it serves: the fleet's are every node's together.
            Map<String, java.util.SortedSet<String>> rolledBack = new TreeMap<>();
            for (Parsed p : live) {
                for (FlagView other : p.frame.flags()) {
                    if (other.key().equals(f.key())) {
                        List<String> served = served(p);
                        total.addAll(served);
                        java.util.Collection<String> running = sameState(f, other) && !silent.containsKey(p.node.node())
                                ? running(p, other, served) : List.of();
                        for (String pop : served) {
                            (running.contains(pop) ? acknowledged : notAcknowledged).add(pop);
                        }
                        other.rolledBackAt().forEach((variant, pops) ->
                                rolledBack.computeIfAbsent(variant, v -> new TreeSet<>()).addAll(pops));
                    }
                }
            }
            acknowledged.removeAll(notAcknowledged);
            Map<String, List<String>> atPops = new TreeMap<>();
            rolledBack.forEach((variant, pops) -> atPops.put(variant, List.copyOf(pops)));
            out.add(f.withAcknowledged(acknowledged.size(), total.size()).withOverrides(f.paused(), atPops));
        }
        return out;
    }

    /** The PoPs a node serves: those its frame names, else (a frame without them) those of its metrics frame. */
    private static List<String> served(Parsed p) {
        return p.node.pops().isEmpty() ? p.frame.pops().stream().map(PopMetrics::id).toList() : p.node.pops();
    }

    /**
     * The PoPs of {@code served} where the node runs the flag's latest version: as its frame lists them; from a node
     * that lists none (an older version), all of them once its count says every one does, and none while it is
     * midway, since its count does not say which.
     */
    private static java.util.Collection<String> running(Parsed p, FlagView flag, List<String> served) {
        Map<String, List<String>> listed = p.node.acknowledged();
        if (listed != null && listed.containsKey(flag.key())) {
            return new java.util.HashSet<>(listed.get(flag.key()));
        }
        return flag.popsAcknowledged() >= flag.popsTotal() ? served : List.of();
    }

    private static boolean sameState(FlagView a, FlagView b) {
        return a.variants().equals(b.variants()) && a.killed() == b.killed() && Objects.equals(a.scope(), b.scope());
    }

    /** The guardrail or firing of {@code node}, named so: {@code RULE @ NODE}. */
    static String atNode(String id, String node) {
        return id + " @ " + node;
    }

    /** The node named {@code RULE @ fleet}: the aggregator, deciding on every node's evidence. */
    public static final String FLEET = "fleet";

    private static Long fromEpoch(Long epochMillis, double fleetEpoch) {
        return epochMillis == null ? null : Math.round(epochMillis - fleetEpoch);
    }

    private List<GuardrailStatus> guardrails(List<Parsed> live, double fleetEpoch, List<GuardrailStatus> fleetRules) {
        List<GuardrailStatus> out = new ArrayList<>();
        for (GuardrailStatus g : fleetRules) {
            out.add(new GuardrailStatus(atNode(g.id(), FLEET), g.flag(), g.variant(), g.match(), g.action(), g.armed(),
                    g.state(), g.conditions(), g.variantExposures(), g.controlExposures(), g.minExposures(),
                    g.windowSeconds(), fromEpoch(g.lastFiredAtMillis(), fleetEpoch), fromEpoch(g.evidenceSinceMillis(), fleetEpoch),
                    fromEpoch(g.periodSinceMillis(), fleetEpoch), g.alpha()));
        }
        for (Parsed p : live) {
            for (GuardrailStatus g : p.frame.guardrails()) {
                out.add(new GuardrailStatus(atNode(g.id(), p.node.node()), g.flag(), g.variant(), g.match(), g.action(), g.armed(),
                        g.state(), g.conditions(), g.variantExposures(), g.controlExposures(), g.minExposures(),
                        g.windowSeconds(), moved(p, g.lastFiredAtMillis(), fleetEpoch), moved(p, g.evidenceSinceMillis(), fleetEpoch),
                        moved(p, g.periodSinceMillis(), fleetEpoch), g.alpha(), g.decidedBy()));
            }
        }
        return out;
    }

    private Long moved(Parsed p, Long nodeMillis, double fleetEpoch) {
        return nodeMillis == null ? null : onFleetTime(p, nodeMillis, fleetEpoch);
    }

    private List<GuardrailFiring> firings(List<Parsed> live, double fleetEpoch, List<GuardrailFiring> fleetFirings) {
        List<GuardrailFiring> out = new ArrayList<>();
        for (GuardrailFiring f : fleetFirings) {
            out.add(new GuardrailFiring(fromEpoch(f.atMillis(), fleetEpoch), atNode(f.rule(), FLEET), f.flag(), f.variant(),
                    f.action(), f.pops(), f.reason(), f.automatic(), f.actor(), f.values()));
        }
        for (Parsed p : live) {
            for (GuardrailFiring f : p.frame.firings()) {
                out.add(new GuardrailFiring(onFleetTime(p, f.atMillis(), fleetEpoch), atNode(f.rule(), p.node.node()), f.flag(),
                        f.variant(), f.action(), f.pops(), p.node.node() + ": " + f.reason(), f.automatic(), f.actor(), f.values()));
            }
        }
        out.sort(Comparator.comparingLong(GuardrailFiring::atMillis));
        return out;
    }

    private List<ShowEvent> timeline(List<Parsed> live, double fleetEpoch) {
        List<ShowEvent> out = new ArrayList<>();
        for (Parsed p : live) {
            for (ShowEvent e : p.frame.timeline()) {
                out.add(new ShowEvent(onFleetTime(p, e.atMillis(), fleetEpoch), e.kind(), p.node.node() + ": " + e.label(), e.pop(),
                        e.flag(), e.actor()));
            }
        }
        out.sort(Comparator.comparingLong(ShowEvent::atMillis));
        return out.size() <= TIMELINE_KEPT ? out : List.copyOf(out.subList(out.size() - TIMELINE_KEPT, out.size()));
    }

    private static TriggerMetrics triggers(List<Parsed> live) {
        Map<String, Long> byRule = new TreeMap<>();
        long rejected = 0;
        long limited = 0;
        double micros = 0;
        long firings = 0;
        long max = 0;
        for (Parsed p : live) {
            TriggerMetrics t = p.frame.triggers();
            long fired = 0;
            for (Map.Entry<String, Long> e : t.firingsByRule().entrySet()) {
                byRule.merge(e.getKey(), e.getValue(), Long::sum);
                fired += e.getValue();
            }
            rejected += t.rejectedDuplicates();
            limited += t.rateLimited();
            micros += t.meanDecisionMicros() * fired;
            firings += fired;
            max = Math.max(max, t.maxDecisionMicros());
        }
        return new TriggerMetrics(byRule, rejected, limited, firings == 0 ? 0 : micros / firings, max);
    }

    /** The encoder most recently read by any node: the producer's OBS is connected to one. */
    private static EncoderHealth encoder(List<Parsed> live) {
        return live.stream().map(p -> p.frame.encoder()).filter(Objects::nonNull)
                .max(Comparator.comparingLong(EncoderHealth::atMillis)).orElse(null);
    }

    /**
     * Counts summed; per stage the highest node's percentiles, which bound the fleet's from above (a quantile of
     * the whole lies between the lowest and highest of its parts'); the window's length the longest.
     */
    private static DecisionMetrics decisions(List<Parsed> live) {
        long decisions = 0;
        long over = 0;
        long windowDecisions = 0;
        long windowOver = 0;
        int window = 0;
        Map<String, DecisionMetrics.StageLatency> stages = new LinkedHashMap<>();
        for (Parsed p : live) {
            DecisionMetrics d = p.frame.decisions();
            decisions += d.decisions();
            over += d.overSlo();
            windowDecisions += d.windowDecisions();
            windowOver += d.windowOverSlo();
            window = Math.max(window, d.windowSeconds());
            for (DecisionMetrics.StageLatency s : d.stages()) {
                stages.merge(s.stage(), s, (a, b) -> new DecisionMetrics.StageLatency(a.stage(), Math.max(a.p50Ms(), b.p50Ms()),
                        Math.max(a.p95Ms(), b.p95Ms()), Math.max(a.p99Ms(), b.p99Ms()), a.budgetMs()));
            }
        }
        return new DecisionMetrics(decisions, over, window, windowDecisions, windowOver, List.copyOf(stages.values()));
    }

    /**
     * The worst of the nodes' conditions. One node failed is the fleet read-only, not failed: its PoPs show its
     * last figures and the other nodes' are live. A silent node is named too; while the aggregator cannot reach
     * Kafka, that is said first instead, and no node is called silent.
     */
    private static NodeCondition condition(List<Parsed> live, Map<String, Long> silent, FleetAggregator.Outage kafka,
                                           long nowMillis) {
        NodeCondition.Status worst = NodeCondition.Status.OK;
        // The silent nodes first, in words and in data; then what else is wrong.
        List<String> silences = new ArrayList<>();
        List<NodeCondition.Silent> silentNodes = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (kafka != null) {
            // Nothing a node sends reaches the aggregator now: the nodes may well be serving, so none is called silent.
            worst = NodeCondition.Status.READ_ONLY;
            why.add(unreachable(kafka, nowMillis) + ": the fleet's figures are as last read"
                    + (silent.isEmpty() ? "" : ", the PoPs of " + String.join(", ", silent.keySet()) + " not known now")
                    + "; the nodes may be serving");
        }
        for (Parsed p : live) {
            NodeCondition c = p.frame.node();
            String node = p.node.node();
            if (c.status() != NodeCondition.Status.OK) {
                worst = NodeCondition.Status.READ_ONLY;
                why.add(node + " " + c.status().name().toLowerCase(Locale.ROOT).replace('_', '-') + ": " + c.detail());
            }
            Long heard = silent.get(node);
            if (heard != null && kafka == null) {
                worst = NodeCondition.Status.READ_ONLY;
                silences.add(silence(node, heard, nowMillis) + ", its PoPs show no data");
                silentNodes.add(new NodeCondition.Silent(node, heard));
            }
        }
        if (worst == NodeCondition.Status.OK) {
            return NodeCondition.OK;
        }
        String others = String.join("; ", why);
        List<String> all = new ArrayList<>(silences);
        all.addAll(why);
        return silentNodes.isEmpty() ? new NodeCondition(worst, others)
                : new NodeCondition(worst, String.join("; ", all), silentNodes, others);
    }
}
