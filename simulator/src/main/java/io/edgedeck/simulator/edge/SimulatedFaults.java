package io.edgedeck.simulator.edge;

import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The faults on the simulated PoPs: applied by cues and operators, lifted by hand or when their
 * time runs out. Each change goes to the core's journal (before it applies) and its timeline, and
 * the PoP's fault list to the core's frames; opened on a journal with records, the faults in force
 * are rebuilt from them. Engine thread.
 */
public final class SimulatedFaults {
    /** A fault in force. @param untilMillis when it lifts by itself, or -1 when it stays until lifted */
    public record ActiveFault(double magnitude, long untilMillis) {
    }

    private final SimulatedPop[] pops;
    private final Map<String, SimulatedPop> byId = new HashMap<>();
    private final EdgeCore core;
    private final Journal journal;

    SimulatedFaults(SimulatedPop[] pops, EdgeCore core) {
        this.pops = pops;
        this.core = core;
        this.journal = core.journal();
        for (SimulatedPop p : pops) {
            byId.put(p.spec.id(), p);
        }
        restoreFrom(journal.records());
    }

    private void restoreFrom(List<JournalRecord> records) {
        long now = 0;
        for (JournalRecord r : records) {
            now = Math.max(now, r.atMillis());
            switch (r) {
                case JournalRecord.FaultApplied f -> {
                    SimulatedPop p = pop(f.pop());
                    FaultKind kind = FaultKind.fromWireName(f.fault());
                    p.faultUntil[kind.ordinal()] = f.untilMillis() < 0 ? SimulatedPop.UNTIL_LIFTED : f.untilMillis();
                    p.faultMagnitude[kind.ordinal()] = f.magnitude();
                    long duration = f.untilMillis() < 0 ? 0 : f.untilMillis() - f.atMillis();
                    core.timeline().add(new ShowEvent(f.atMillis(), "fault", Fault.of(kind, f.magnitude()).label(f.pop(), duration),
                            f.pop(), null, f.origin()));
                    reportTo(p);
                }
                case JournalRecord.FaultLifted f -> {
                    SimulatedPop p = pop(f.pop());
                    FaultKind kind = FaultKind.fromWireName(f.fault());
                    if (p.has(kind)) {
                        clear(p, kind, f.origin(), now);
                    }
                }
                default -> {
                }
            }
        }
    }

    private SimulatedPop pop(String id) {
        SimulatedPop p = byId.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown PoP '" + id + "'; this show has " + byId.keySet().stream().sorted().toList());
        }
        return p;
    }

    /**
     * Applies a fault to a PoP now, replacing one of the same kind.
     *
     * @param durationMillis how long until it lifts by itself; 0 or less for "until lifted"
     * @param origin         who or what applied it: {@code cue}, or the operator
     */
    public void apply(String popId, Fault fault, long durationMillis, String origin) {
        applyAll(List.of(popId), fault, durationMillis, origin);
    }

    /**
     * Applies a fault to several PoPs as one change (a cue naming several): their records are
     * journaled in one write, so either every PoP gets it or none does.
     */
    public void applyAll(List<String> popIds, Fault fault, long durationMillis, String origin) {
        List<SimulatedPop> at = popIds.stream().map(this::pop).toList();
        long now = core.nowMillis();
        long until = durationMillis > 0 ? now + durationMillis : SimulatedPop.UNTIL_LIFTED;
        List<JournalRecord> records = new java.util.ArrayList<>();
        for (String popId : popIds) {
            records.add(new JournalRecord.FaultApplied(journal.nextSeq() + records.size(), now, popId, fault.kind().wireName(),
                    fault.magnitude(), until == SimulatedPop.UNTIL_LIFTED ? -1 : until, origin));
        }
        journal.appendAll(records);
        for (SimulatedPop p : at) {
            p.faultUntil[fault.kind().ordinal()] = until;
            p.faultMagnitude[fault.kind().ordinal()] = fault.magnitude();
            core.timeline().add(new ShowEvent(now, "fault", fault.label(p.spec.id(), durationMillis), p.spec.id(), null, origin));
            reportTo(p);
        }
    }

    /** Lifts a fault; lifting one that is not in force does nothing and records nothing. */
    public void lift(String popId, FaultKind kind, String origin) {
        SimulatedPop p = pop(popId);
        if (p.has(kind)) {
            journal.append(new JournalRecord.FaultLifted(journal.nextSeq(), core.nowMillis(), popId, kind.wireName(), origin));
            clear(p, kind, origin, core.nowMillis());
        }
    }

    private void clear(SimulatedPop p, FaultKind kind, String origin, long now) {
        p.faultUntil[kind.ordinal()] = SimulatedPop.NO_FAULT;
        p.faultMagnitude[kind.ordinal()] = 0;
        core.timeline().add(new ShowEvent(now, "fault", kind.wireName() + " at " + p.spec.id() + " lifted", p.spec.id(), null,
                origin));
        reportTo(p);
    }

    private void reportTo(SimulatedPop p) {
        core.pops().reportFaults(p.index, p.faultNames());
    }

    /** Lifts every fault whose time has run out; call after the core's time moved. */
    public void expire() {
        long now = core.nowMillis();
        for (SimulatedPop p : pops) {
            for (FaultKind k : FaultKind.values()) {
                long until = p.faultUntil[k.ordinal()];
                if (until != SimulatedPop.NO_FAULT && until != SimulatedPop.UNTIL_LIFTED && until <= now) {
                    lift(p.spec.id(), k, "expired");
                }
            }
        }
    }

    /** The faults in force at every PoP: what a restart must rebuild. */
    public Map<String, Map<FaultKind, ActiveFault>> inForce() {
        Map<String, Map<FaultKind, ActiveFault>> out = new TreeMap<>();
        for (SimulatedPop p : pops) {
            Map<FaultKind, ActiveFault> atPop = new TreeMap<>();
            for (FaultKind k : FaultKind.values()) {
                if (p.has(k)) {
                    long until = p.faultUntil[k.ordinal()];
                    atPop.put(k, new ActiveFault(p.faultMagnitude[k.ordinal()], until == SimulatedPop.UNTIL_LIFTED ? -1 : until));
                }
            }
            out.put(p.spec.id(), atPop);
        }
        return out;
    }
}
