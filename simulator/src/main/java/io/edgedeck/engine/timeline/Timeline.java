package io.edgedeck.engine.timeline;

import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.engine.experiments.Experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What changed the show, for the timeline: every audited flag, guardrail and pause change, and the
 * events producers add (the simulated edge's faults applied and lifted). Owned by the engine thread.
 */
public final class Timeline {
    /** Maximum events a frame carries: the newest ones. */
    public static final int EVENTS_IN_FRAME = 300;

    private final Experiments experiments;
    private final List<ShowEvent> added = new ArrayList<>();

    public Timeline(Experiments experiments) {
        this.experiments = experiments;
    }

    /** An event a producer reports, e.g. a fault applied to a PoP. */
    public void add(ShowEvent event) {
        added.add(event);
    }

    /** How many events producers have added so far: it moves with every one. */
    public int eventsAdded() {
        return added.size();
    }

    /** Oldest first; at most the newest {@value #EVENTS_IN_FRAME}. */
    public List<ShowEvent> events() {
        List<ShowEvent> out = new ArrayList<>(added);
        for (AuditEntry a : experiments.audit()) {
            if (a.action().startsWith("show.")) {
                // show control is in the audit for who did it; the timeline shows its effects (faults) already
                continue;
            }
            String kind = a.action().startsWith("guardrail.") || a.actor().startsWith("guardrail:") ? "guardrail" : "flag";
            String flag = a.target().contains("/") ? a.target().substring(0, a.target().indexOf('/')) : a.target();
            out.add(new ShowEvent(a.atMillis(), kind, a.action() + " " + a.target() + ": " + a.after(), null, flag, a.actor()));
        }
        out.sort(Comparator.comparingLong(ShowEvent::atMillis));
        return out.size() <= EVENTS_IN_FRAME ? out : List.copyOf(out.subList(out.size() - EVENTS_IN_FRAME, out.size()));
    }
}
