package io.edgedeck.console.fleet;

import io.edgedeck.client.model.FleetView;
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
 * live. With no answer from the aggregator for {@link #STALE_AFTER_MILLIS}, every row is grey.
 */
public final class FleetViewModel {
    /** A node not heard of for this long has missed frames: amber. */
    public static final long LATE_AFTER_MILLIS = 3_000;
    /** A node not heard of for this long is silent: red. */
    public static final long SILENT_AFTER_MILLIS = 10_000;
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
    /** Each silent node's age as the headline gives it, as of the last refresh. */
    private Map<String, Long> silentFor = Map.of();
    /** The aggregator's words for a silent node: in its frames' condition, and in a cue's answer. */
    private static final java.util.regex.Pattern SILENCE = java.util.regex.Pattern.compile(
            "node (\\S+) silent (\\d+) s|(\\S+) did not take it: silent for (\\d+) s");

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
        problem.set("");
        refresh(nowMillis);
    }

    /** The aggregator could not be asked; what is shown ages into stale. FX thread. */
    public void failed(String why, long nowMillis) {
        problem.set("could not read the fleet: " + why);
        refresh(nowMillis);
    }

    /**
     * {@code said}, the aggregator's words, with each silent node's figure the one the headline gives it ("node node-c
     * silent 25 s", "node-b did not take it: silent for 25 s"): the aggregator counts its own seconds when it writes a
     * frame or answers a cue, and the window tells one silence by one count, this model's, aged on every tick from
     * {@code /api/v1/fleet}. A node this model does not call silent keeps the aggregator's figure. FX thread.
     */
    public String tellSilences(String said) {
        if (silentFor.isEmpty() || said == null) {
            return said;
        }
        return SILENCE.matcher(said).replaceAll(m -> {
            boolean condition = m.group(1) != null;
            Long age = silentFor.get(condition ? m.group(1) : m.group(3));
            String told = age == null ? m.group()
                    : condition ? "node " + m.group(1) + " silent " + ago(age) : m.group(3) + " did not take it: silent for " + ago(age);
            return java.util.regex.Matcher.quoteReplacement(told);
        });
    }

    /** Ages every node and the answer itself; called every tick. FX thread. */
    public void refresh(long nowMillis) {
        silentFor = Map.of();
        if (last == null) {
            summary.set(problem.get().isEmpty() ? "fleet: asking the aggregator…" : "fleet: unknown (" + problem.get() + ")");
            status.set(Status.STALE);
            aggregator.set("");
            aggregatorStatus.set(Status.STALE);
            return;
        }
        long sinceAnswer = Math.max(0, nowMillis - answeredAtMillis);
        boolean stale = sinceAnswer > STALE_AFTER_MILLIS;

        Map<String, Status> nodeStatus = new TreeMap<>();
        Map<String, Long> nodeAge = new TreeMap<>();
        List<NodeRow> nodeRows = new ArrayList<>(last.nodes().size());
        List<String> late = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        Map<String, Long> silentAges = new TreeMap<>();
        // While the aggregator cannot reach Kafka no node's frame reaches it, and while the aggregator does not answer
        // nothing it heard reaches this console: an old frame says nothing of its node then, which is not called silent.
        boolean kafkaDown = last.kafkaUnreachable();
        boolean unheard = kafkaDown || stale;
        String notKnown = stale ? "the aggregator has not answered for " + ago(sinceAnswer) : "the aggregator cannot reach Kafka";
        for (FleetView.Node n : last.nodes()) {
            long age = n.ageMillis() < 0 ? -1 : Math.max(0, n.ageMillis()) + sinceAnswer;
            Status ageStatus = unheard && ageStatus(age) != Status.OK ? Status.STALE : ageStatus(age);
            Status st = ageStatus.worse(health(n));
            nodeStatus.put(n.node(), ageStatus);
            nodeAge.put(n.node(), age);
            if (ageStatus == Status.BAD) {
                silent.add(n.node() + " " + ago(age));
                silentAges.put(n.node(), age);
            } else if (ageStatus == Status.WARN) {
                late.add(n.node() + " " + ago(age));
            }
            nodeRows.add(new NodeRow(n.node(), n.url() == null ? "not named (an older node)" : n.url(), n.pops().isEmpty() ? "none yet" : String.join(", ", n.pops().stream().map(PopIds::shown).toList()),
                    unheard && ageStatus == Status.STALE && age >= 0 ? ago(age) + " ago · not known: " + notKnown
                            : lastSeen(age, ageStatus), control(n, ageStatus), spool(n), count(n.records()) + (n.duplicates() > 0
                    ? " · " + count(n.duplicates()) + " copies dropped" : ""), stale ? Status.STALE : st));
        }
        nodes.setAll(nodeRows);
        silentFor = Map.copyOf(silentAges);

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
