package io.edgedeck.simulator.load;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.edge.ObservationTap;
import io.edgedeck.simulator.edge.StageTimes;
import io.edgedeck.simulator.traffic.AudienceModel;

import io.edgedeck.engine.triggers.InteractionKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The observations of a simulated show, as a real audience and its apps would send them to a node:
 * an exposure becomes an OFREP evaluation of the flag for the unit (the node decides and counts
 * what it serves), every other observation an ingest event with an id of its own. Nothing is
 * invented here: each item is one observation the show handed its in-process core, in the order it
 * handed them.
 *
 * <p>Checkout ids: the simulated edge knows a checkout's fate, not its name, so each one gets an id
 * here (the run's prefix, {@code c}, a number); a checkout queued at a PoP is remembered there until that PoP reconciles its
 * queue, which sends {@code reconciled} for each.
 *
 * <p>Lanes: what it observes is dealt to {@code lanes} lanes, each sent in order on a connection of
 * its own while the others go in parallel. Everything of one unit (its evaluations, conversions,
 * requests, steps, chat) goes to the unit's lane, and both states of one checkout to the checkout's,
 * so the order that matters (a unit's exposure before its conversion, a checkout queued before it is
 * reconciled) holds on the wire; a request no unit is named for goes to the lanes in turn.
 *
 * <p>A request is told to the tap where the edge serves it ({@link #served}, {@link #lost}) and then
 * whose it was ({@link #requestOf}), so its event is held back until then. Of a unit's trigger steps,
 * a view, hover, click or add-to-cart becomes a {@code step} event when a trigger of the show counts
 * its kind (the node's trigger engine passes over the others unseen); a checkout's and a chat line's
 * are the {@code conversion} and {@code chat} events themselves, which the node counts as those steps.
 *
 * <p>Engine thread (the tap is called while the show steps); {@link #drain} hands the work over.
 */
final class WireTap implements ObservationTap {
    /**
     * One OFREP evaluation: {@code flag} for unit {@code targetingKey} at {@code pop}, in {@code region} and
     * {@code tenant}; {@code variant} is what the show served it.
     */
    record Evaluation(String flag, String targetingKey, String pop, String region, String tenant, String variant) {
    }

    /** What the show observed for one lane since the last drain: evaluations to make first, then events to send. */
    record Work(List<Evaluation> evaluations, List<IngestEvent> events) {
        boolean isEmpty() {
            return evaluations.isEmpty() && events.isEmpty();
        }

        int size() {
            return evaluations.size() + events.size();
        }
    }

    private final List<String> pops;
    private final String idPrefix;
    private final int lanes;
    private final Set<InteractionKind> counted;
    private final List<ArrayDeque<String>> queuedAt = new ArrayList<>();
    private List<List<Evaluation>> evaluations;
    private List<List<IngestEvent>> events;
    private int pending;
    private long nextEvent = 1;
    private long nextCheckout = 1;
    private int nextFreeLane;
    /** A request served or lost whose unit is not told yet. */
    private IngestEvent.Latency request;

    /**
     * @param pops     the PoP ids in the core's order (the index the tap is told)
     * @param idPrefix starts every event id, so two runs against one node never share an id
     * @param lanes    how many lanes the observations are dealt to
     * @param counted  the kinds of step the show's triggers count
     */
    WireTap(List<String> pops, String idPrefix, int lanes, Set<InteractionKind> counted) {
        this.pops = List.copyOf(pops);
        this.idPrefix = idPrefix;
        this.lanes = lanes;
        this.counted = counted.isEmpty() ? EnumSet.noneOf(InteractionKind.class) : EnumSet.copyOf(counted);
        for (int i = 0; i < pops.size(); i++) {
            queuedAt.add(new ArrayDeque<>());
        }
        fresh();
    }

    @Override
    public void exposed(long unit, String flag, String variant, int pop, String region, String tenant) {
        flushRequest(-1);
        evaluations.get(laneOf(unit)).add(new Evaluation(flag, AudienceModel.unitKey(unit), pops.get(pop), region, tenant, variant));
        pending++;
    }

    @Override
    public void converted(long unit, Double value) {
        flushRequest(-1);
        add(laneOf(unit), new IngestEvent.Conversion(id(), null, "checkout", AudienceModel.unitKey(unit), value));
    }

    @Override
    public void served(int pop, double ms) {
        flushRequest(-1);
        request = new IngestEvent.Latency(id(), null, pops.get(pop), ms, null, null, null);
    }

    @Override
    public void lost(int pop) {
        flushRequest(-1);
        request = new IngestEvent.Latency(id(), null, pops.get(pop), null, true, null, null);
    }

    @Override
    public void requestOf(long unit) {
        flushRequest(unit);
    }

    @Override
    public void step(long unit, InteractionKind kind) {
        flushRequest(-1);
        if (kind != InteractionKind.CHECKOUT && kind != InteractionKind.CHAT && counted.contains(kind)) {
            add(laneOf(unit), new IngestEvent.Step(id(), null, kind.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    AudienceModel.unitKey(unit)));
        }
    }

    @Override
    public void chat(long unit, String text) {
        flushRequest(-1);
        add(laneOf(unit), new IngestEvent.Chat(id(), null, text, AudienceModel.unitKey(unit), null, null, null));
    }

    @Override
    public void checkout(int pop, boolean completed, StageTimes times) {
        flushRequest(-1);
        String checkout = idPrefix + "c" + nextCheckout++;
        String state = completed ? "authorised" : "queued";
        // The app that made the decision reports what each stage took, as the simulated edge timed it.
        add(laneOf(checkout), times == null ? new IngestEvent.Checkout(id(), null, checkout, pops.get(pop), state)
                : new IngestEvent.Checkout(id(), null, checkout, pops.get(pop), state, times.validateMs(), times.enrichMs(),
                        times.actMs()));
        if (!completed) {
            queuedAt.get(pop).add(checkout);
        }
    }

    @Override
    public void reconciled(int pop) {
        flushRequest(-1);
        ArrayDeque<String> waiting = queuedAt.get(pop);
        while (!waiting.isEmpty()) {
            String checkout = waiting.poll();
            add(laneOf(checkout), new IngestEvent.Checkout(id(), null, checkout, pops.get(pop), "reconciled"));
        }
    }

    /** The request held back, as the unit's ({@code unit} at least 0) or as no unit's, into its lane. */
    private void flushRequest(long unit) {
        IngestEvent.Latency r = request;
        if (r == null) {
            return;
        }
        request = null;
        if (unit < 0) {
            add(nextFreeLane++ % lanes, r);
        } else {
            add(laneOf(unit), new IngestEvent.Latency(r.id(), r.at(), r.pop(), r.ms(), r.lost(), r.status(), r.source(),
                    AudienceModel.unitKey(unit)));
        }
    }

    private void add(int lane, IngestEvent event) {
        events.get(lane).add(event);
        pending++;
    }

    /** The unit an event is of, or null. */
    static String unitOf(IngestEvent e) {
        return switch (e) {
            case IngestEvent.Exposure x -> x.targetingKey();
            case IngestEvent.Conversion c -> c.targetingKey();
            case IngestEvent.Chat c -> c.targetingKey();
            case IngestEvent.Step s -> s.targetingKey();
            case IngestEvent.Latency l -> l.targetingKey();
            case IngestEvent.Checkout c -> null;
        };
    }

    private int laneOf(long unit) {
        return (int) Math.floorMod(unit * 0x9E3779B97F4A7C15L >>> 32, (long) lanes);
    }

    private int laneOf(String checkout) {
        return Math.floorMod(checkout.hashCode(), lanes);
    }

    private String id() {
        return idPrefix + nextEvent++;
    }

    /** Evaluations and events waiting to be sent. */
    int pendingEvents() {
        return pending;
    }

    /** Everything observed since the last drain, per lane, in order; the tap starts afresh. */
    List<Work> drain() {
        flushRequest(-1);
        List<Work> work = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            work.add(new Work(evaluations.get(i), events.get(i)));
        }
        fresh();
        return work;
    }

    private void fresh() {
        evaluations = new ArrayList<>(lanes);
        events = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            evaluations.add(new ArrayList<>());
            events.add(new ArrayList<>());
        }
        pending = 0;
    }
}
