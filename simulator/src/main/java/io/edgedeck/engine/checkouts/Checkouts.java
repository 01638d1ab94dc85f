package io.edgedeck.engine.checkouts;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.engine.journal.DurableState;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Checkouts as the edge observes them: attempted, completed, queued at a PoP that could not
 * authorise them, and reconciled later. Every checkout ends completed, or queued and reconciled;
 * {@link CheckoutCounts#pending()} counts those queued and not reconciled yet, and a source's
 * checkouts started and not ended yet (in flight); {@link CheckoutCounts#lost()} those that are
 * neither ended nor pending (a source's checkout forgotten past {@code maxOpen}, or one a producer
 * by PoP index attempted and never completed or queued). A queued checkout is journaled
 * before it counts (write-ahead), so a restarted core still knows what waits where; on a live node a
 * batch's checkout records are written together when the batch has been applied
 * ({@link #journalTogether}), the batch being durable in the node's ingest log before it is applied
 * and its answer waiting for them.
 *
 * <p>Who decides whether a checkout can be authorised is the producer: the simulated edge from its
 * acquirer and partition model, a live node from what its apps report. Two ways in: by PoP index,
 * for an in-process producer ({@link #attempted()}, {@link #completed()}, {@link #queued(int)},
 * {@link #reconcile(int)}); and by the id the source gave a checkout, for ingested events
 * ({@link #start}, {@link #authorise}, {@link #queue}, {@link #reconcileOne}), which keep a bounded
 * table of checkouts started and not yet ended. Owned by the engine thread.
 */
public final class Checkouts {
    private final String[] popIds;
    private final Journal journal;
    private final LongSupplier clock;
    private final long[] pending;
    private final long[] lastQueuedId;
    private long attempted;
    private long completed;
    private long queued;
    private long reconciled;
    private long nextId = 1;
    /** One-click tokens presented, by outcome: accepted, expired, forged, replayed; null until the first. */
    private long[] tokenOutcomes;
    /** Checkouts a source started and has not ended yet, oldest first; bounded. */
    private final LinkedHashMap<String, Boolean> open = new LinkedHashMap<>();
    private final int maxOpen;
    /** Queued checkouts by source id: durable, rebuilt from the journal. */
    private final Map<String, Queued> queuedByRef = new HashMap<>();
    /** While a live node's own record of its events rebuilds the checkouts: nothing is journaled again. */
    private boolean rebuilding;
    /** While {@link #journalTogether} runs: the records to write together when it ends; else null. */
    private List<java.util.function.LongFunction<JournalRecord>> together;

    private record Queued(int pop, long id) {
    }

    /**
     * @param maxOpen how many started, unfinished checkouts from sources are remembered; past it the
     *                oldest is forgotten (it stays counted as attempted, and is lost if it never ends)
     */
    public Checkouts(List<String> popIds, Journal journal, LongSupplier clock, int maxOpen) {
        this.popIds = popIds.toArray(String[]::new);
        this.journal = journal;
        this.clock = clock;
        this.maxOpen = maxOpen;
        this.pending = new long[this.popIds.length];
        this.lastQueuedId = new long[this.popIds.length];
    }

    // ---------------------------------------------------------------- by PoP index

    public void attempted() {
        attempted++;
    }

    public void completed() {
        completed++;
    }

    /** An attempted checkout waits at the PoP for authorisation. Journaled. @return its number */
    public long queued(int pop) {
        return queue(pop, null);
    }

    /** Every checkout waiting at the PoP was authorised. Journaled; nothing happens when none waits. */
    public void reconcile(int pop) {
        long count = pending[pop];
        if (count == 0) {
            return;
        }
        journaled(seq -> new JournalRecord.CheckoutsReconciled(seq, clock.getAsLong(), popIds[pop], count, lastQueuedId[pop], null));
        reconcileAll(pop, count, lastQueuedId[pop]);
    }

    public long pendingAt(int pop) {
        return pending[pop];
    }

    // ---------------------------------------------------------------- by the source's id

    /** True while a checkout with this source id has started and not ended. */
    public boolean isOpen(String ref) {
        return open.containsKey(ref);
    }

    /** The PoP a checkout with this source id waits at, or -1 when it is not queued. */
    public int queuedAt(String ref) {
        Queued q = queuedByRef.get(ref);
        return q == null ? -1 : q.pop();
    }

    /**
     * A source's checkout started.
     *
     * @return the source id of the oldest checkout in flight, forgotten to make room (it stays counted
     *         as attempted, and lost while it does not end), or null
     */
    public String start(String ref) {
        attempted++;
        open.put(ref, Boolean.TRUE);
        return open.size() > maxOpen ? open.pollFirstEntry().getKey() : null;
    }

    /**
     * A source's checkout was authorised; one never seen started counts as attempted too.
     *
     * @param startedBefore whether it was seen started though no longer in flight here (forgotten by {@link #start})
     */
    public void authorise(String ref, boolean startedBefore) {
        if (open.remove(ref) == null && !startedBefore) {
            attempted++;
        }
        completed++;
    }

    /**
     * A source's checkout waits at the PoP; one never seen started counts as attempted too. Journaled.
     *
     * @param startedBefore whether it was seen started though no longer in flight here (forgotten by {@link #start})
     */
    public void queue(String ref, int pop, boolean startedBefore) {
        if (open.remove(ref) == null && !startedBefore) {
            attempted++;
        }
        queue(pop, ref);
    }

    /** A source's queued checkout was authorised. Journaled. */
    public void reconcileOne(String ref) {
        Queued q = queuedByRef.get(ref);
        if (q == null) {
            throw new IllegalArgumentException("checkout '" + ref + "' is not queued");
        }
        journaled(seq -> new JournalRecord.CheckoutsReconciled(seq, clock.getAsLong(), popIds[q.pop()], 1, q.id(), ref));
        queuedByRef.remove(ref);
        pending[q.pop()]--;
        reconciled++;
    }

    private long queue(int pop, String ref) {
        long id = nextId;
        journaled(seq -> new JournalRecord.CheckoutQueued(seq, clock.getAsLong(), popIds[pop], id, ref));
        nextId++;
        applyQueued(pop, id, ref);
        return id;
    }

    /**
     * Journals the record {@code at} makes from the next sequence number, unless the checkouts are being
     * rebuilt from the ingest log, whose events are already durable and would be journaled twice.
     */
    private void journaled(java.util.function.LongFunction<JournalRecord> at) {
        if (rebuilding) {
            return;
        }
        if (together != null) {
            together.add(at);
            return;
        }
        journal.append(at.apply(journal.nextSeq()));
    }

    /**
     * Runs {@code work} (a live node's ingest batch, applied on the engine thread) with the checkout
     * records it makes written together when it ends, in one journal write and one force, instead of
     * one force each: a batch of thousands of queued checkouts (a PoP's outage at the drop) would
     * otherwise hold the engine thread, and every producer's command behind it, for seconds. Those
     * events are durable in the node's ingest log before the batch is applied, and a restart rebuilds
     * checkouts from that log, so the journal's copies need not precede each one; the batch's answer
     * still waits for them.
     */
    public <T> T journalTogether(java.util.function.Supplier<T> work) {
        if (together != null) {
            return work.get();
        }
        together = new java.util.ArrayList<>();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            // what the work made before it failed is in memory: write it still, and keep the first failure
            try {
                writeTogether();
            } catch (RuntimeException | Error also) {
                e.addSuppressed(also);
            }
            throw e;
        }
        writeTogether();
        return result;
    }

    private void writeTogether() {
        List<java.util.function.LongFunction<JournalRecord>> made = together;
        together = null;
        if (!made.isEmpty()) {
            long first = journal.nextSeq();
            List<JournalRecord> records = new java.util.ArrayList<>(made.size());
            for (int i = 0; i < made.size(); i++) {
                records.add(made.get(i).apply(first + i));
            }
            journal.appendAll(records);
        }
    }

    private void applyQueued(int pop, long id, String ref) {
        pending[pop]++;
        lastQueuedId[pop] = id;
        queued++;
        if (ref != null) {
            queuedByRef.put(ref, new Queued(pop, id));
        }
    }

    private void reconcileAll(int pop, long count, long upToId) {
        pending[pop] -= count;
        reconciled += count;
        if (!queuedByRef.isEmpty()) {
            queuedByRef.values().removeIf(q -> q.pop() == pop && q.id() <= upToId);
        }
    }

    // ---------------------------------------------------------------- restart

    /**
     * A live node's checkouts come from its ingest log, where every event that moved one was made durable
     * before it counted: on a restart the log, fed back to the core, rebuilds them. What the journal's
     * checkout records restored is dropped first, so no checkout counts twice and no event the node took
     * is refused as a repeat; nothing is journaled again until {@link #rebuilt}. Checkout numbers go on
     * from the journal's, so none is given twice.
     */
    public void rebuildFromSources() {
        attempted = 0;
        completed = 0;
        queued = 0;
        reconciled = 0;
        java.util.Arrays.fill(pending, 0);
        java.util.Arrays.fill(lastQueuedId, 0);
        open.clear();
        queuedByRef.clear();
        rebuilding = true;
    }

    /** The sources have been fed back: checkouts are journaled again as they move. */
    public void rebuilt() {
        rebuilding = false;
    }

    /** Applies a journaled checkout record again, without journaling it. */
    public void replay(JournalRecord record) {
        switch (record) {
            case JournalRecord.CheckoutQueued c -> {
                attempted++;
                applyQueued(popIndex(c.pop()), c.checkoutId(), c.ref());
                nextId = Math.max(nextId, c.checkoutId() + 1);
            }
            case JournalRecord.CheckoutsReconciled c when c.ref() != null -> {
                Queued q = queuedByRef.remove(c.ref());
                pending[q == null ? popIndex(c.pop()) : q.pop()] -= c.count();
                reconciled += c.count();
            }
            case JournalRecord.CheckoutsReconciled c -> reconcileAll(popIndex(c.pop()), c.count(), c.upToCheckoutId());
            case JournalRecord.CheckoutsState s -> {
                // as replaying the queued records does: each counts as attempted
                attempted += s.queued();
                queued += s.queued();
                reconciled += s.reconciled();
                nextId = Math.max(nextId, s.nextCheckoutId());
                for (JournalRecord.PendingAt p : s.pending()) {
                    int pop = popIndex(p.pop());
                    pending[pop] += p.count();
                    lastQueuedId[pop] = Math.max(lastQueuedId[pop], p.lastCheckoutId());
                }
                s.refs().forEach(r -> queuedByRef.put(r.ref(), new Queued(popIndex(r.pop()), r.checkoutId())));
            }
            default -> throw new IllegalArgumentException("not a checkout record: " + record);
        }
    }

    /**
     * What a snapshot keeps of the checkouts in place of their records: replaying it into a fresh
     * core gives the same durable state as replaying the records did.
     */
    public JournalRecord.CheckoutsState state(long seq, long atMillis) {
        List<JournalRecord.PendingAt> atPops = new java.util.ArrayList<>();
        for (int p = 0; p < popIds.length; p++) {
            if (pending[p] != 0 || lastQueuedId[p] != 0) {
                atPops.add(new JournalRecord.PendingAt(popIds[p], pending[p], lastQueuedId[p]));
            }
        }
        List<JournalRecord.QueuedRef> refs = new java.util.ArrayList<>();
        queuedByRef.forEach((ref, q) -> refs.add(new JournalRecord.QueuedRef(ref, popIds[q.pop()], q.id())));
        refs.sort(java.util.Comparator.comparingLong(JournalRecord.QueuedRef::checkoutId));
        return new JournalRecord.CheckoutsState(seq, atMillis, queued, reconciled, nextId, atPops, refs);
    }

    private int popIndex(String id) {
        for (int i = 0; i < popIds.length; i++) {
            if (popIds[i].equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the journal names PoP '" + id + "', which this show does not have");
    }

    // ---------------------------------------------------------------- read-out

    public CheckoutCounts counts() {
        long[] t = tokenOutcomes;
        // A source's checkout in flight (started, not ended yet) is pending, not lost: lost are those
        // neither ended nor in flight. A producer by PoP index starts none, so its counts are as they were.
        long inFlight = open.size();
        return new CheckoutCounts(attempted, completed, queued, reconciled, attempted - completed - queued - inFlight,
                queued - reconciled + inFlight,
                t == null ? null : new CheckoutCounts.TokenOutcomes(t[0], t[1], t[2], t[3]));
    }

    /**
     * A one-click checkout token was presented: {@code outcome} 0 accepted, 1 expired, 2 forged, 3
     * replayed (the order of {@link CheckoutCounts.TokenOutcomes}). Counted since the node started:
     * a refusal changes no state, so it is not journaled.
     */
    public void tokenPresented(int outcome) {
        if (tokenOutcomes == null) {
            tokenOutcomes = new long[4];
        }
        tokenOutcomes[outcome]++;
    }

    /** Per PoP with checkouts waiting: how many, and the newest one's number. */
    public Map<String, DurableState.Pending> pendingState() {
        Map<String, DurableState.Pending> out = new TreeMap<>();
        for (int p = 0; p < popIds.length; p++) {
            if (pending[p] > 0) {
                out.put(popIds[p], new DurableState.Pending(pending[p], lastQueuedId[p]));
            }
        }
        return out;
    }

    /** Queued checkouts by source id, with the PoP each waits at. */
    public Map<String, String> queuedBySourceId() {
        Map<String, String> out = new TreeMap<>();
        queuedByRef.forEach((ref, q) -> out.put(ref, popIds[q.pop()]));
        return out;
    }

    public long queuedTotal() {
        return queued;
    }

    public long reconciledTotal() {
        return reconciled;
    }
}
