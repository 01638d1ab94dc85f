package io.edgedeck.simulator.fleet;

import io.edgedeck.client.ingest.IngestEvent;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Folds a node's observations into {@link PopSecond} records: one per PoP per second of the
 * observations' own time ({@code at}, or arrival when absent). A second is handed out once it is
 * {@code graceMillis} old; an observation arriving later for a second already handed out starts a
 * new record for that second, which the aggregator adds to the first.
 *
 * <p>Conversions and chat carry no PoP and no variant: they are attributed through {@link Arms}
 * to the arms the unit was exposed to and to the PoP it was exposed at (the node's default PoP when
 * the unit is unknown), the OpenFeature tracking model. Thread-safe; every method is short.
 */
public final class SecondAggregator {

    /** One arm of an experiment: a flag's variant. */
    public record Arm(String flag, String variant) {
    }

    /** Where a unit was exposed and to what; {@code moved} those of its arms it was moved into (their moved cohort). */
    public record UnitArms(String pop, List<Arm> arms, List<Arm> moved) {
    }

    /** Which arms a unit is in: the node's core knows; {@link RecentExposures} remembers what it was told. */
    public interface Arms {
        /**
         * Notes an exposure. @return true when it is this unit's first exposure to this arm (counted),
         * false for a repeat (not counted again)
         */
        boolean exposed(String unit, Arm arm, String pop);

        /**
         * Notes an exposure the node's core already classified ({@code kind}): the unit is in {@code arm} now,
         * in its moved cohort when it was moved there, and no longer in another arm of that flag.
         */
        void exposedAs(String unit, Arm arm, String pop, io.edgedeck.engine.ingest.IngestOutcome.Exposure kind);

        /** The unit's PoP and arms, or null when unknown. */
        UnitArms of(String unit);
    }

    /**
     * The last {@code maxUnits} units' exposures, least recently seen forgotten first. About 200
     * bytes per unit: 200,000 units take about 40 MB.
     */
    public static final class RecentExposures implements Arms {
        private final Map<String, UnitArms> units;

        public RecentExposures(int maxUnits) {
            if (maxUnits < 1) {
                throw new IllegalArgumentException("maxUnits: at least 1, got " + maxUnits);
            }
            this.units = new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, UnitArms> eldest) {
                    return size() > maxUnits;
                }
            };
        }

        @Override
        public synchronized boolean exposed(String unit, Arm arm, String pop) {
            UnitArms known = units.get(unit);
            if (known != null && known.arms().contains(arm)) {
                return false;
            }
            put(unit, known, arm, pop, false);
            return true;
        }

        @Override
        public synchronized void exposedAs(String unit, Arm arm, String pop, io.edgedeck.engine.ingest.IngestOutcome.Exposure kind) {
            UnitArms known = units.get(unit);
            if (kind == io.edgedeck.engine.ingest.IngestOutcome.Exposure.REPEAT && known != null && known.arms().contains(arm)) {
                // counted already: only where it was seen last changes
                units.put(unit, new UnitArms(pop, known.arms(), known.moved()));
                return;
            }
            put(unit, known, arm, pop, kind == io.edgedeck.engine.ingest.IngestOutcome.Exposure.MOVED);
        }

        private void put(String unit, UnitArms known, Arm arm, String pop, boolean moved) {
            List<Arm> arms = new ArrayList<>();
            List<Arm> movedArms = new ArrayList<>();
            if (known != null) {
                for (Arm a : known.arms()) {
                    if (!a.flag().equals(arm.flag())) {
                        arms.add(a);
                        if (known.moved().contains(a)) {
                            movedArms.add(a);
                        }
                    }
                }
            }
            arms.add(arm);
            if (moved) {
                movedArms.add(arm);
            }
            units.put(unit, new UnitArms(pop, List.copyOf(arms), List.copyOf(movedArms)));
        }

        @Override
        public synchronized UnitArms of(String unit) {
            return units.get(unit);
        }
    }

    private record Key(String pop, long second) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(second, o.second);
            return c != 0 ? c : pop.compareTo(o.pop);
        }
    }

    private static final class ArmAcc {
        long exposures;
        long movedIn;
        long movedConversions;
        long conversions;
        double value;
        long messages;
        double sentimentSum;
        double sentimentSumSq;
    }

    private static final class Acc {
        long requests;
        long lost;
        final Histogram latency = LatencyHistograms.empty();
        long conversions;
        long messages;
        double sentimentSum;
        double sentimentSumSq;
        long started;
        long authorised;
        long queued;
        long reconciled;
        final Map<Arm, ArmAcc> arms = new LinkedHashMap<>();

        ArmAcc arm(Arm a) {
            return arms.computeIfAbsent(a, k -> new ArmAcc());
        }
    }

    private final String node;
    private final String defaultPop;
    private final ToDoubleFunction<String> sentiment;
    private final Arms arms;
    private final TreeMap<Key, Acc> open = new TreeMap<>();

    /**
     * @param node       this node's id, written into every record
     * @param defaultPop the PoP of observations that name none and of units never seen exposed
     * @param sentiment  the compound score in [-1, 1] of a chat message (the core's scorer)
     * @param arms       where units were exposed and to what
     */
    public SecondAggregator(String node, String defaultPop, ToDoubleFunction<String> sentiment, Arms arms) {
        this.node = Objects.requireNonNull(node, "node");
        this.defaultPop = Objects.requireNonNull(defaultPop, "defaultPop");
        this.sentiment = Objects.requireNonNull(sentiment, "sentiment");
        this.arms = Objects.requireNonNull(arms, "arms");
    }

    /**
     * Adds one observation, a chat message scored by this aggregator's own scorer (a stream that did not
     * go through an engine: a benchmark's, a test's).
     *
     * @param arrivalMillis when it arrived, epoch ms: its time when it has no {@code at}
     */
    public void add(IngestEvent event, long arrivalMillis) {
        add(event, null, null, arrivalMillis);
    }

    /**
     * Adds one observation as the node's core took it: a chat message with the core's reading of it
     * ({@code chat}), so the fleet's sentiment is the node's own, learned emotes included; a message whose
     * language the scorer could not read counts in no sentiment, as in the core's arms. With
     * {@code chat} null, a chat message is scored by this aggregator's scorer. An exposure comes with what the
     * core counted it as ({@code exposure}): one of the arm's exposures, a unit moved into the arm (its moved
     * cohort, whose conversions count apart, as on the node), or nothing new; with {@code exposure} null, a
     * unit's first exposure to an arm counts.
     *
     * @param arrivalMillis when it arrived, epoch ms: its time when it has no {@code at}
     */
    public synchronized void add(IngestEvent event, io.edgedeck.engine.sentiment.ChatSentiment.Reading chat,
                                 io.edgedeck.engine.ingest.IngestOutcome.Exposure exposure, long arrivalMillis) {
        long at = event.at() != null ? event.at() : arrivalMillis;
        long second = Math.floorDiv(at, 1000L);
        switch (event) {
            case IngestEvent.Latency l -> {
                Acc acc = acc(popOr(l.pop()), second);
                acc.requests++;
                if (Boolean.TRUE.equals(l.lost()) || l.ms() == null) {
                    acc.lost++;
                } else {
                    LatencyHistograms.recordMillis(acc.latency, l.ms());
                }
            }
            case IngestEvent.Exposure x -> {
                String pop = popOr(x.pop());
                Arm arm = new Arm(x.flag(), x.variant());
                if (exposure == null) {
                    if (arms.exposed(x.targetingKey(), arm, pop)) {
                        acc(pop, second).arm(arm).exposures++;
                    }
                } else if (exposure != io.edgedeck.engine.ingest.IngestOutcome.Exposure.OUT_OF_SCOPE) {
                    arms.exposedAs(x.targetingKey(), arm, pop, exposure);
                    switch (exposure) {
                        case COUNTED -> acc(pop, second).arm(arm).exposures++;
                        case MOVED -> acc(pop, second).arm(arm).movedIn++;
                        default -> {
                        }
                    }
                }
            }
            case IngestEvent.Conversion c -> {
                UnitArms unit = arms.of(c.targetingKey());
                Acc acc = acc(unit == null ? defaultPop : unit.pop(), second);
                acc.conversions++;
                if (unit != null) {
                    for (Arm a : unit.arms()) {
                        ArmAcc arm = acc.arm(a);
                        if (unit.moved().contains(a)) {
                            arm.movedConversions++;
                        } else {
                            arm.conversions++;
                            arm.value += c.value() == null ? 0.0 : c.value();
                        }
                    }
                }
            }
            case IngestEvent.Chat c -> {
                if (chat != null && !chat.read()) {
                    return;
                }
                double score = chat != null ? chat.score() : c.text() == null ? 0.0 : sentiment.applyAsDouble(c.text());
                UnitArms unit = c.targetingKey() == null ? null : arms.of(c.targetingKey());
                Acc acc = acc(unit == null ? defaultPop : unit.pop(), second);
                acc.messages++;
                acc.sentimentSum += score;
                acc.sentimentSumSq += score * score;
                if (unit != null) {
                    for (Arm a : unit.arms()) {
                        ArmAcc arm = acc.arm(a);
                        arm.messages++;
                        arm.sentimentSum += score;
                        arm.sentimentSumSq += score * score;
                    }
                }
            }
            case IngestEvent.Step s -> {
                // A step feeds its node's triggers; a fleet's seconds count no steps.
            }
            case IngestEvent.Checkout c -> {
                Acc acc = acc(popOr(c.pop()), second);
                switch (c.state() == null ? "" : c.state()) {
                    case "started" -> acc.started++;
                    case "authorised" -> acc.authorised++;
                    case "queued" -> acc.queued++;
                    case "reconciled" -> acc.reconciled++;
                    default -> {
                        // The node's ingest refuses other states before they reach here.
                    }
                }
            }
        }
    }

    /** The seconds that ended at least {@code graceMillis} before {@code nowMillis}, oldest first; they leave. */
    public synchronized List<PopSecond> drain(long nowMillis, long graceMillis) {
        List<PopSecond> out = new ArrayList<>();
        Iterator<Map.Entry<Key, Acc>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Acc> e = it.next();
            if ((e.getKey().second() + 1) * 1000L + graceMillis > nowMillis) {
                break;
            }
            out.add(toRecord(e.getKey(), e.getValue()));
            it.remove();
        }
        return out;
    }

    /** Every open second, oldest first (at shutdown); they leave. */
    public synchronized List<PopSecond> drainAll() {
        return drain(Long.MAX_VALUE, 0);
    }

    /** Seconds not yet handed out. */
    public synchronized int openSeconds() {
        return open.size();
    }

    private String popOr(String pop) {
        return pop == null || pop.isBlank() ? defaultPop : pop;
    }

    private Acc acc(String pop, long second) {
        return open.computeIfAbsent(new Key(pop, second), k -> new Acc());
    }

    private PopSecond toRecord(Key key, Acc a) {
        List<PopSecond.ArmCounts> armCounts = new ArrayList<>(a.arms.size());
        Map<Arm, ArmAcc> sorted = new TreeMap<>((x, y) -> {
            int c = x.flag().compareTo(y.flag());
            return c != 0 ? c : x.variant().compareTo(y.variant());
        });
        sorted.putAll(a.arms);
        sorted.forEach((arm, acc) -> armCounts.add(new PopSecond.ArmCounts(arm.flag(), arm.variant(), acc.exposures,
                acc.conversions, acc.value, acc.messages, acc.sentimentSum, acc.sentimentSumSq, acc.movedIn, acc.movedConversions)));
        return new PopSecond(1, node, key.pop(), key.second(), a.requests, a.lost, LatencyHistograms.encode(a.latency),
                a.conversions, armCounts, new PopSecond.ChatCounts(a.messages, a.sentimentSum, a.sentimentSumSq),
                new PopSecond.CheckoutCounts(a.started, a.authorised, a.queued, a.reconciled));
    }
}
