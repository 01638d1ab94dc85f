package io.edgedeck.engine.journal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of an engine's state that must survive a restart, as replaying its journal rebuilds it:
 * the faults in force and the checkouts still waiting for authorisation. Metrics are not in it:
 * they describe traffic, which a restart does not replay.
 *
 * @param faults            per PoP, per fault kind, the fault in force
 * @param pendingCheckouts  per PoP, checkouts queued and not yet reconciled
 * @param checkoutsQueued   queued since the show started
 * @param checkoutsReconciled reconciled since the show started
 * @param lastSeq           the last journal record applied
 */
public record DurableState(Map<String, Map<String, ActiveFault>> faults, Map<String, Pending> pendingCheckouts,
                           long checkoutsQueued, long checkoutsReconciled, long lastSeq) {

    /** @param untilMillis when it lifts by itself, or -1 when it stays until lifted */
    public record ActiveFault(double magnitude, long untilMillis) {
    }

    /** @param lastCheckoutId the newest queued checkout's id */
    public record Pending(long count, long lastCheckoutId) {
    }

    /** Rebuilds the state by applying every record in order. */
    public static DurableState replay(List<JournalRecord> records) {
        Map<String, Map<String, ActiveFault>> faults = new TreeMap<>();
        Map<String, Pending> pending = new TreeMap<>();
        long queued = 0;
        long reconciled = 0;
        long lastSeq = 0;
        for (JournalRecord r : records) {
            switch (r) {
                case JournalRecord.ShowStarted s -> {
                }
                case JournalRecord.FaultApplied f -> faults.computeIfAbsent(f.pop(), k -> new TreeMap<>())
                        .put(f.fault(), new ActiveFault(f.magnitude(), f.untilMillis()));
                case JournalRecord.FaultLifted f -> {
                    Map<String, ActiveFault> atPop = faults.get(f.pop());
                    if (atPop != null) {
                        atPop.remove(f.fault());
                    }
                }
                case JournalRecord.CheckoutQueued c -> {
                    Pending p = pending.getOrDefault(c.pop(), new Pending(0, 0));
                    pending.put(c.pop(), new Pending(p.count() + 1, c.checkoutId()));
                    queued++;
                }
                case JournalRecord.CheckoutsReconciled c -> {
                    Pending p = pending.getOrDefault(c.pop(), new Pending(0, 0));
                    pending.put(c.pop(), new Pending(p.count() - c.count(), p.lastCheckoutId()));
                    reconciled += c.count();
                }
            }
            lastSeq = r.seq();
        }
        faults.values().removeIf(Map::isEmpty);
        pending.values().removeIf(p -> p.count() == 0);
        return new DurableState(faults, pending, queued, reconciled, lastSeq);
    }
}
