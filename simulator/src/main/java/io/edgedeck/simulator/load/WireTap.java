package io.edgedeck.simulator.load;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.edge.ObservationTap;
import io.edgedeck.simulator.edge.StageTimes;
import io.edgedeck.simulator.traffic.AudienceModel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Engine thread (the tap is called while the show steps); {@link #drain} hands the work over.
 */
final class WireTap implements ObservationTap {
    /** One OFREP evaluation: {@code flag} for unit {@code targetingKey} at {@code pop}, in {@code region} and {@code tenant}. */
    record Evaluation(String flag, String targetingKey, String pop, String region, String tenant) {
    }

    /** What the show observed since the last drain: evaluations to make first, then events to send. */
    record Work(List<Evaluation> evaluations, List<IngestEvent> events) {
        boolean isEmpty() {
            return evaluations.isEmpty() && events.isEmpty();
        }
    }

    private final List<String> pops;
    private final String idPrefix;
    private final List<ArrayDeque<String>> queuedAt = new ArrayList<>();
    private List<Evaluation> evaluations = new ArrayList<>();
    private List<IngestEvent> events = new ArrayList<>();
    private long nextEvent = 1;
    private long nextCheckout = 1;

    /**
     * @param pops     the PoP ids in the core's order (the index the tap is told)
     * @param idPrefix starts every event id, so two runs against one node never share an id
     */
    WireTap(List<String> pops, String idPrefix) {
        this.pops = List.copyOf(pops);
        this.idPrefix = idPrefix;
        for (int i = 0; i < pops.size(); i++) {
            queuedAt.add(new ArrayDeque<>());
        }
    }

    @Override
    public void exposed(long unit, String flag, String variant, int pop, String region, String tenant) {
        evaluations.add(new Evaluation(flag, AudienceModel.unitKey(unit), pops.get(pop), region, tenant));
    }

    @Override
    public void converted(long unit) {
        events.add(new IngestEvent.Conversion(id(), null, "checkout", AudienceModel.unitKey(unit), null));
    }

    @Override
    public void served(int pop, double ms) {
        events.add(new IngestEvent.Latency(id(), null, pops.get(pop), ms, null, null, null));
    }

    @Override
    public void lost(int pop) {
        events.add(new IngestEvent.Latency(id(), null, pops.get(pop), null, true, null, null));
    }

    @Override
    public void chat(long unit, String text) {
        events.add(new IngestEvent.Chat(id(), null, text, AudienceModel.unitKey(unit), null, null, null));
    }

    @Override
    public void checkout(int pop, boolean completed, StageTimes times) {
        String checkout = idPrefix + "c" + nextCheckout++;
        String state = completed ? "authorised" : "queued";
        // The app that made the decision reports what each stage took, as the simulated edge timed it.
        events.add(times == null ? new IngestEvent.Checkout(id(), null, checkout, pops.get(pop), state)
                : new IngestEvent.Checkout(id(), null, checkout, pops.get(pop), state, times.validateMs(), times.enrichMs(),
                        times.actMs()));
        if (!completed) {
            queuedAt.get(pop).add(checkout);
        }
    }

    @Override
    public void reconciled(int pop) {
        ArrayDeque<String> waiting = queuedAt.get(pop);
        while (!waiting.isEmpty()) {
            events.add(new IngestEvent.Checkout(id(), null, waiting.poll(), pops.get(pop), "reconciled"));
        }
    }

    private String id() {
        return idPrefix + nextEvent++;
    }

    /** Events waiting to be sent. */
    int pendingEvents() {
        return events.size() + evaluations.size();
    }

    /** Everything observed since the last drain, in order; the tap starts afresh. */
    Work drain() {
        Work work = new Work(evaluations, events);
        evaluations = new ArrayList<>();
        events = new ArrayList<>();
        return work;
    }
}
