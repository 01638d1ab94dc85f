package io.edgedeck.console.fleet;

import io.edgedeck.client.model.FleetCueFired;
import io.edgedeck.client.model.FleetView;
import io.edgedeck.client.model.NodeCondition;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.console.common.PopIds;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet as its aggregator last told it, for the Fleet tab: one row per node (the PoPs it serves,
 * when it was last heard of, its control lag, spool and records), one row per PoP (the nodes serving
 * it), the aggregator's own lag, and one line that sums it up. Fed on the FX thread with the newest
 * answer of {@code GET /api/v1/fleet}; knows nothing of connections.
 *
 * <p>A node's age is the aggregator's {@code ageMillis} plus the time since that answer, so it keeps
 * growing when nothing new comes. A node last heard of more than {@link #LATE_AFTER_MILLIS} ago is
 * amber (nodes send a frame every second), more than {@link #SILENT_AFTER_MILLIS} red: it must not look
 * live. Both are the aggregator's own ({@link NodeCondition.Silent}): the node it calls silent, showing its PoPs with no
 * data, is the one this headline calls silent, not late. With no answer from the aggregator for {@link #STALE_AFTER_MILLIS}, every row is grey.
 */
public final class FleetViewModel {
    /** A node not heard of for this long has missed frames: amber. */
    public static final long LATE_AFTER_MILLIS = NodeCondition.Silent.LATE_AFTER_MILLIS;
    /** A node not heard of for this long is silent, as the aggregator calls it: red. */
    public static final long SILENT_AFTER_MILLIS = NodeCondition.Silent.AFTER_MILLIS;
    /** With no answer from the aggregator this long, what is shown is stale. */
    public static final long STALE_AFTER_MILLIS = 5_000;
    /** Records waiting in a node's spool past this say it is not getting them into Kafka (a second's flush is a few dozen). */
    public static final long PENDING_WARN = 100;
    /** Records the aggregator has yet to read past this say it is behind the fleet. */
    public static final long LAG_WARN = 1_000;

    /** One node as a row: immutable, replaced on every update. */
    public record NodeRow(String node, String api, String serves, String lastSeen, String control, String spool, String records,
                          Status status) {
    }

    /** One PoP as a row: the nodes that serve it, its recent traffic, and why it needs a look, if it does. */
    public record PopRow(String pop, String servedBy, String requests, String p95, String note, Status status) {
    }

    private final ObservableList<NodeRow> nodes = FXCollections.observableArrayList();
    private final ObservableList<PopRow> pops = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "fleet: asking the aggregator…");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.STALE);
    private final ReadOnlyStringWrapper aggregator = new ReadOnlyStringWrapper(this, "aggregator", "");
    private final ReadOnlyObjectWrapper<Status> aggregatorStatus = new ReadOnlyObjectWrapper<>(this, "aggregatorStatus", Status.STALE);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private FleetView last;
    private long answeredAtMillis = -1;
    /**
     * The aggregator's clock when it answered, as the answer gives it (an older aggregator's: a node's lastSeenMillis plus
     * its ageMillis), or -1 while not known.
     */
    private long aggregatorAtMillis = -1;
    /** How long since that answer, as of the last refresh: what every age told is aged by. */
    private long sinceAnswerMillis;

    public ObservableList<NodeRow> nodes() {
        return FXCollections.unmodifiableObservableList(nodes);
    }

    public ObservableList<PopRow> pops() {
        return FXCollections.unmodifiableObservableList(pops);
    }

    /** One line: how many nodes, which are late or silent, PoPs served twice, the aggregator's lag. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The worst of the nodes, PoPs and aggregator, or stale. */
    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The aggregator itself: how far behind the fleet's topics it reads, and what it has read. */
    public ReadOnlyStringProperty aggregatorProperty() {
        return aggregator.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> aggregatorStatusProperty() {
        return aggregatorStatus.getReadOnlyProperty();
    }

    /** Why the fleet could not be read, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The aggregator answered with this fleet at {@code nowMillis}. FX thread. */
    public void answered(FleetView fleet, long nowMillis) {
        last = fleet;
        answeredAtMillis = nowMillis;
        // The answer says its clock; an older aggregator's does not, and every node's age is from that same moment of
        // its clock: any node heard of gives it.
        aggregatorAtMillis = fleet.atMillis() > 0 ? fleet.atMillis() : fleet.nodes().stream()
                .filter(n -> n.lastSeenMillis() > 0 && n.ageMillis() >= 0)
                .mapToLong(n -> n.lastSeenMillis() + n.ageMillis()).findFirst().orElse(-1);
        problem.set("");
        refresh(nowMillis);
    }

    /** The aggregator could not be asked; what is shown ages into stale. FX thread. */
    public void failed(String why, long nowMillis) {
        problem.set("could not read the fleet: " + why);
        refresh(nowMillis);
    }

    /**
     * How long a node the aggregator calls silent, last heard from at {@code lastSeenMillis} (its frames' condition, a
     * cue's answer: the clock of {@code /api/v1/fleet}), has been silent by this model's count, as of the last refresh:
     * the headline's figure for a node last seen then. -1 when that is not known: before the first answer, or once the
     * fleet has heard from the node since (the aggregator's own words are told then). FX thread.
     */
    public long silentFor(String node, long lastSeenMillis) {
        if (last == null || aggregatorAtMillis < 0) {
            return -1;
        }
        for (FleetView.Node n : last.nodes()) {
            if (n.node().equals(node) && n.lastSeenMillis() > lastSeenMillis) {
                return -1;
            }
        }
        return aged(aggregatorAtMillis - lastSeenMillis);
    }

    /** An age at the aggregator's last answer, aged to the last refresh: the one count every age in the window is told by. */
    private long aged(long ageAtAnswerMillis) {
        return Math.max(0, ageAtAnswerMillis) + sinceAnswerMillis;
    }

    /**
     * The fleet's condition, from its frames at an aggregator, in words: each node it names silent in data told by
     * {@link #silentFor} ("node node-c silent 25 s, its PoPs show no data"), then what else is wrong, in the aggregator's
     * words. The aggregator's whole detail as it wrote it when it names no node in data (an older aggregator) or when a
     * silence is not known here. FX thread.
     */
    public String condition(NodeCondition condition) {
        if (condition.silent().isEmpty()) {
            return condition.detail();
        }
        List<String> clauses = new ArrayList<>();
        for (NodeCondition.Silent s : condition.silent()) {
            long silent = silentFor(s.node(), s.lastSeenMillis());
            if (silent < 0) {
                return condition.detail();
            }
            clauses.add(NodeCondition.Silent.words(s.node(), ago(silent)) + ", its PoPs show no data");
        }
        if (condition.otherDetail() != null && !condition.otherDetail().isEmpty()) {
            clauses.add(condition.otherDetail());
        }
        return String.join("; ", clauses);
    }

    /**
     * A PoP's faults, from a frame at an aggregator whose condition is {@code condition}: the clause each silent node it
     * serves added ("node node-c silent 24 s") told by {@link #silentFor} as the banner tells it; the rest as the
     * aggregator wrote them. Today's aggregator names the PoP's nodes in its data ({@link PopMetrics#servedBy}), each
     * silent one with the clause it added; an older one only in words, whose clause is found by the silent nodes the
     * condition names in data. A silence not known here, and every fault when neither names a node, as written. FX thread.
     */
    public List<String> popFaults(PopMetrics pop, NodeCondition condition) {
        List<String> out = new ArrayList<>(pop.faults().size());
        for (String fault : pop.faults()) {
            String told = fault;
            if (!pop.servedBy().isEmpty()) {
                for (PopMetrics.ServedBy by : pop.servedBy()) {
                    if (by.silent() && fault.equals(by.fault())) {
                        told = silence(by.node(), by.lastSeenMillis(), fault);
                    }
                }
            } else {
                for (NodeCondition.Silent s : condition.silent()) {
                    if (s.toldIn(fault)) {
                        told = silence(s.node(), s.lastSeenMillis(), fault);
                    }
                }
            }
            out.add(told);
        }
        return out;
    }

    /** A silent node's clause by {@link #silentFor}, or {@code asWritten} while that is not known. */
    private String silence(String node, long lastSeenMillis, String asWritten) {
        long silent = silentFor(node, lastSeenMillis);
        return silent < 0 ? asWritten : NodeCondition.Silent.words(node, ago(silent));
    }

    /**
     * Why a node did not take a cue fired on every node: for a silent one the aggregator names in data, told by
     * {@link #silentFor} ("silent for 25 s: it fires the cue when it reads the control topic again"); otherwise, or when
     * that is not known, the aggregator's words. FX thread.
     */
    public String notTaken(FleetCueFired.NotTaken n) {
        long silent = n.lastSeenMillis() == null ? -1 : silentFor(n.node(), n.lastSeenMillis());
        return silent < 0 ? n.why() : "silent for " + ago(silent) + ": it fires the cue when it reads the control topic again";
    }

    /** Ages every node and the answer itself; called every tick. FX thread. */
    public void refresh(long nowMillis) {
        if (last == null) {
            summary.set(problem.get().isEmpty() ? "fleet: asking the aggregator…" : "fleet: unknown (" + problem.get() + ")");
            status.set(Status.STALE);
            aggregator.set("");
            aggregatorStatus.set(Status.STALE);
            return;
        }
        long sinceAnswer = Math.max(0, nowMillis - answeredAtMillis);
        sinceAnswerMillis = sinceAnswer;
        boolean stale = sinceAnswer > STALE_AFTER_MILLIS;

        Map<String, Status> nodeStatus = new TreeMap<>();
        Map<String, Long> nodeAge = new TreeMap<>();
        List<NodeRow> nodeRows = new ArrayList<>(last.nodes().size());
        List<String> late = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        // While the aggregator cannot reach Kafka no node's frame reaches it, and while the aggregator does not answer
        // nothing it heard reaches this console: an old frame says nothing of its node then, which is not called silent.
        boolean kafkaDown = last.kafkaUnreachable();
        boolean unheard = kafkaDown || stale;
        String notKnown = stale ? "the aggregator has not answered for " + ago(sinceAnswer) : "the aggregator cannot reach Kafka";
        for (FleetView.Node n : last.nodes()) {
            long age = n.ageMillis() < 0 ? -1 : aged(n.ageMillis());
            Status ageStatus = unheard && ageStatus(age) != Status.OK ? Status.STALE : ageStatus(age);
            Status st = ageStatus.worse(health(n));
            nodeStatus.put(n.node(), ageStatus);
            nodeAge.put(n.node(), age);
            if (ageStatus == Status.BAD) {
                silent.add(n.node() + " " + ago(age));
            } else if (ageStatus == Status.WARN) {
                late.add(n.node() + " " + ago(age));
            }
            nodeRows.add(new NodeRow(n.node(), n.url() == null ? "not named (an older node)" : n.url(), n.pops().isEmpty() ? "none yet" : String.join(", ", n.pops().stream().map(PopIds::shown).toList()),
                    unheard && ageStatus == Status.STALE && age >= 0 ? ago(age) + " ago · not known: " + notKnown
                            : lastSeen(age, ageStatus), control(n, ageStatus), spool(n), count(n.records()) + (n.duplicates() > 0
                    ? " · " + count(n.duplicates()) + " copies dropped" : ""), stale ? Status.STALE : st));
        }
        nodes.setAll(nodeRows);

        List<PopRow> popRows = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        Status worstPop = Status.OK;
        for (Map.Entry<String, TreeSet<String>> e : servedBy(last).entrySet()) {
            String pop = e.getKey();
            List<String> by = List.copyOf(e.getValue());
            FleetView.Pop figures = last.pops().stream().filter(p -> p.pop().equals(pop)).findFirst().orElse(null);
            String note;
            Status st;
            if (by.size() > 1) {
                note = "served by " + by.size() + " nodes: its figures add theirs";
                st = Status.WARN;
                twice.add(PopIds.shown(pop));
            } else if (by.isEmpty()) {
                note = "no node serves it";
                st = Status.BAD;
            } else {
                note = "";
                st = Status.OK;
            }
            // A PoP whose every node is silent is unwatched: its figures stopped when the node did.
            Status servingAge = by.stream().map(n -> nodeStatus.getOrDefault(n, Status.STALE))
                    .reduce((a, b) -> a.urgency() <= b.urgency() ? a : b).orElse(Status.BAD);
            if (unheard && servingAge == Status.STALE && !by.isEmpty()) {
                String why = "not known now: " + notKnown;
                note = note.isEmpty() ? why : note + "; " + why;
                st = Status.STALE;
            } else if (servingAge == Status.BAD || servingAge == Status.WARN) {
                String why = servingAge == Status.BAD ? "its node is silent" : "its node is late";
                note = note.isEmpty() ? why : note + "; " + why;
                st = st.worse(servingAge);
            }
            worstPop = worstPop.worse(st);
            String requests = figures == null ? "none yet" : count(figures.recent().requests()) + lost(figures.recent());
            String p95 = figures == null || figures.recent().requests() == figures.recent().lost() ? "–"
                    : String.format(Locale.ROOT, "%.0f ms", figures.recent().p95Ms());
            if (servingAge == Status.BAD && !unheard && !by.isEmpty()) {
                // Its figures stopped when its node did: grey, as a PoP tile with no data, for as long as the
                // freshest of its nodes has been silent (the figure the headline gives that node).
                String since = "stale for " + ago(by.stream().mapToLong(n -> nodeAge.getOrDefault(n, -1L)).filter(a -> a >= 0).min().orElse(0));
                requests = since;
                p95 = since;
                st = Status.STALE;
            }
            popRows.add(new PopRow(pop, by.isEmpty() ? "none" : String.join(", ", by), requests, p95,
                    note, stale ? Status.STALE : st));
        }
        pops.setAll(popRows);

        Status lagStatus = kafkaDown ? Status.BAD : last.lag() < 0 || last.lag() > LAG_WARN ? Status.WARN : Status.OK;
        String kafkaSince = kafkaDown ? "cannot reach Kafka since " + UTC.format(Instant.ofEpochMilli(last.kafka().unreachableSinceMillis()))
                + " (" + ago(Math.max(0, nowMillis - last.kafka().unreachableSinceMillis())) + ")" : null;
        aggregator.set("Aggregator: " + (kafkaDown ? kafkaSince + ": the fleet's figures are as last read, the nodes may be serving"
                : last.lag() < 0 ? "not reading the fleet's topics yet"
                : last.lag() == 0 ? "caught up" : count(last.lag()) + " records behind")
                + " · " + count(last.records()) + " fleet records read" + (last.duplicates() > 0
                ? " · " + count(last.duplicates()) + " copies dropped" : "") + (last.malformed() > 0
                ? " · " + count(last.malformed()) + " malformed skipped" : ""));
        aggregatorStatus.set(stale ? Status.STALE : lagStatus);

        if (stale) {
            summary.set("fleet: not heard from the aggregator for " + sinceAnswer / 1000 + " s"
                    + (problem.get().isEmpty() ? "" : " (" + problem.get() + ")"));
            status.set(Status.STALE);
            return;
        }
        if (last.nodes().isEmpty()) {
            summary.set("fleet: no node heard yet");
            status.set(Status.STALE);
            return;
        }
        StringBuilder line = new StringBuilder("fleet: ").append(last.nodes().size())
                .append(last.nodes().size() == 1 ? " node" : " nodes");
        int live = last.nodes().size() - late.size() - silent.size();
        line.append(", ").append(kafkaDown ? "none heard while Kafka is out of reach" : live + " live");
        if (!silent.isEmpty()) {
            line.append(" · silent: ").append(String.join(", ", silent));
        }
        if (!late.isEmpty()) {
            line.append(" · late: ").append(String.join(", ", late));
        }
        if (!twice.isEmpty()) {
            line.append(" · served twice: ").append(String.join(", ", twice));
        }
        if (kafkaDown) {
            line.append(" · the aggregator ").append(kafkaSince);
        } else if (lagStatus != Status.OK) {
            line.append(" · aggregator ").append(last.lag() < 0 ? "not reading yet" : count(last.lag()) + " behind");
        }
        summary.set(line.toString());
        Status all = lagStatus;
        for (NodeRow r : nodeRows) {
            all = all.worse(r.status());
        }
        status.set(all.worse(worstPop));
    }

    /** Every PoP a node serves or published for, with the nodes that do. */
    private static Map<String, TreeSet<String>> servedBy(FleetView fleet) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (FleetView.Pop p : fleet.pops()) {
            out.computeIfAbsent(p.pop(), k -> new TreeSet<>()).addAll(p.nodes());
        }
        for (FleetView.Node n : fleet.nodes()) {
            for (String pop : n.pops()) {
                out.computeIfAbsent(pop, k -> new TreeSet<>()).add(n.node());
            }
        }
        return out;
    }

    static Status ageStatus(long ageMillis) {
        if (ageMillis < 0) {
            return Status.STALE;
        }
        return ageMillis > SILENT_AFTER_MILLIS ? Status.BAD : ageMillis > LATE_AFTER_MILLIS ? Status.WARN : Status.OK;
    }

    /** What the node's newest frame says of it: records its spool refused are lost to the fleet. */
    private static Status health(FleetView.Node n) {
        if (n.spoolRefused() > 0) {
            return Status.BAD;
        }
        if (n.controlLag() > 0 || n.spoolPending() > PENDING_WARN) {
            return Status.WARN;
        }
        return Status.OK;
    }

    private static String lastSeen(long ageMillis, Status ageStatus) {
        if (ageMillis < 0) {
            return "never";
        }
        String ago = ago(ageMillis) + " ago";
        return switch (ageStatus) {
            case BAD -> ago + " · silent";
            case WARN -> ago + " · late";
            default -> ago;
        };
    }

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    static String ago(long ageMillis) {
        if (ageMillis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ageMillis / 1000.0);
        }
        if (ageMillis < 120_000) {
            return ageMillis / 1000 + " s";
        }
        return ageMillis / 60_000 + " min";
    }

    /**
     * How far the node has applied the control topic, as its newest frame said; for a silent node that
     * frame is old and the fleet may have moved on since, so it is unknown (the row says silent).
     */
    private static String control(FleetView.Node n, Status ageStatus) {
        if (n.controlLag() < 0 || ageStatus == Status.BAD) {
            return "unknown";
        }
        return n.controlLag() == 0 ? "applied all" : count(n.controlLag()) + " to apply";
    }

    private static String spool(FleetView.Node n) {
        if (n.spoolPending() < 0) {
            return "unknown";
        }
        return count(n.spoolPending()) + " pending" + (n.spoolRefused() > 0 ? " · " + count(n.spoolRefused()) + " refused (lost)" : "");
    }

    private static String lost(FleetView.Latency l) {
        return l.lost() > 0 ? " · " + count(l.lost()) + " lost" : "";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
