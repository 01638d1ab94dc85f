package io.edgedeck.simulator.load;

import io.edgedeck.client.ingest.IngestEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a show's observations to a node on several lanes at once, so {@code load} keeps pace with
 * the show: each lane ({@link WireTap} deals a unit's and a checkout's observations all to one) is a
 * thread of its own that sends its stretches in order, a stretch's evaluations all answered before
 * its events go, its events in batches one after another; the lanes go in parallel. At most
 * {@link #QUEUED_PER_LANE} stretches wait per lane: a show that outruns the node waits for it
 * (and the lag says so) rather than piling up in memory.
 *
 * <p>Sessions move when the node says so: an evaluation the node answers with another variant than
 * the show served (the node has not rolled back yet, or the show has not) is made again, as an app's
 * OpenFeature provider polls its flags, until the node serves the show's variant: first before the
 * next stretch of its lane, then after 1 s of the show and waits that double up to
 * {@link #REEVALUATE_MAX_INTERVAL_MILLIS}, for {@link #REEVALUATE_SHOW_MILLIS} ms of the show and at least {@link #REEVALUATE_MILLIS}
 * ms of wall time; the unit's later events follow it in its lane. A node that rolls back seconds of
 * the show after the show did (it judges what the network delivered by then) so still learns of every
 * session the show moved meanwhile, as a real app's polling would tell it; one given up on is counted
 * ({@link #unsettled}).
 *
 * <p>The show's thread calls {@link #submit} and {@link #awaitIdle}; the lanes run on their own threads.
 */
final class WireSender implements AutoCloseable {
    /** Lanes, each on its own connection. */
    static final int LANES = 4;
    /** Stretches waiting per lane at most. */
    static final int QUEUED_PER_LANE = 8;
    /** Evaluations and events a lane sends as one group at most, when stretches wait for it. */
    static final int GROUP_EVENTS = 20_000;
    /**
     * How long a unit the node served another variant is evaluated again: this many ms of the show
     * (a node judges what arrived by its own clock, so its firing may come a period of a rule after the
     * show's; the built-in shows' longest {@code windowSeconds} is 90) and at least
     * {@link #REEVALUATE_MILLIS} of wall time (at full speed the show's time runs ahead of the node's).
     */
    static final long REEVALUATE_SHOW_MILLIS = 120_000;
    static final long REEVALUATE_MILLIS = 10_000;
    /** The longest wait between two evaluations of such a unit, in ms of the show; the waits before it double from 1 s. */
    static final long REEVALUATE_MAX_INTERVAL_MILLIS = 8_000;

    /** One lane's part of a stretch of the show, due on the wire at {@code dueNanos} (0: as soon as it can). */
    private record Chunk(WireTap.Work work, long dueNanos, long showMillis) {
    }

    /**
     * Where each side has a unit for a flag: the variant (null: none yet) and whether it moved there; on the node, also the
     * flag version it last served the unit at (-1: none, or not said).
     */
    private record Cohort(String showVariant, boolean showMoved, String nodeVariant, boolean nodeMoved, long nodeVersion) {
        static final Cohort NONE = new Cohort(null, false, null, false, -1);
    }

    /**
     * A unit the node served another variant than the show: evaluated again until the node agrees,
     * next when the show reaches {@code nextShowMillis}, after waiting {@code intervalMillis} of it.
     */
    private record Pending(WireTap.Evaluation evaluation, long sinceShowMillis, long sinceNanos, long nextShowMillis,
                           long intervalMillis) {
        boolean expired(long showMillis, long nanos) {
            return showMillis - sinceShowMillis > REEVALUATE_SHOW_MILLIS && nanos - sinceNanos > REEVALUATE_MILLIS * 1_000_000L;
        }

        Pending attempted(long showMillis) {
            long interval = intervalMillis == 0 ? 1_000 : Math.min(REEVALUATE_MAX_INTERVAL_MILLIS, intervalMillis * 2);
            return new Pending(evaluation, sinceShowMillis, sinceNanos, showMillis + interval, interval);
        }
    }

    private final NodeClient node;
    private final int batch;
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicReference<LoadException> failure = new AtomicReference<>();
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong reevaluations = new AtomicLong();
    private final AtomicLong unsettled = new AtomicLong();
    /** Per variant figure ("flag/variant exposures"): the node's count less the show's, as the node's answers explain it. */
    private final Map<String, Long> servedOtherwise = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong maxLagNanos = new AtomicLong();
    /** Wall ms since {@link #began} -> the show's ms every lane had sent by then: where a node's firing falls in the show. */
    private final ConcurrentSkipListMap<Long, Long> reached = new ConcurrentSkipListMap<>();
    private final long began = System.nanoTime();

    /**
     * @param batch events per ingest batch at most
     */
    WireSender(NodeClient node, int batch) {
        this.node = node;
        this.batch = batch;
        reached.put(0L, 0L);
        for (int i = 0; i < LANES; i++) {
            Lane lane = new Lane(i);
            lanes.add(lane);
            lane.thread.start();
        }
    }

    /**
     * Hands one stretch of the show to the lanes ({@code work}, one per lane, as {@link WireTap#drain}
     * dealt it); waits while a lane has {@link #QUEUED_PER_LANE} stretches waiting.
     *
     * @param dueNanos   when the show reached its end at its speed ({@link System#nanoTime}), 0 at full speed
     * @param showMillis the show's time at its end
     */
    void submit(List<WireTap.Work> work, long dueNanos, long showMillis) throws LoadException {
        for (int i = 0; i < LANES; i++) {
            Lane lane = lanes.get(i);
            Chunk chunk = new Chunk(work.get(i), dueNanos, showMillis);
            lane.submitted++;
            try {
                while (!lane.queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                    rethrow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadException("interrupted");
            }
        }
        rethrow();
    }

    /** Returns once every lane has sent everything submitted and the node answered it. */
    void awaitIdle() throws LoadException {
        while (true) {
            rethrow();
            boolean idle = true;
            for (Lane lane : lanes) {
                idle &= lane.completed.get() == lane.submitted;
            }
            if (idle) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void rethrow() throws LoadException {
        LoadException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    long evaluations() {
        return evaluations.get();
    }

    long reevaluations() {
        return reevaluations.get();
    }

    /**
     * Per variant figure ({@code flag/variant exposures}, {@code moved in}, {@code conversions},
     * {@code moved conversions}): how much the node's count differs from the show's by what the node
     * served. Each lane follows each of its units as both sides count it: the show's variant and
     * whether the show moved it there, and the node's, from the node's answers to the evaluations
     * load made (a first answer is an exposure, another variant than the last a move, the same
     * variant again an exposure when the node served it at a new flag version, as the node counts a
     * unit once per flag version, and nothing at the same version). An evaluation or a conversion the two sides count under different
     * figures adds 1 to the node's figure and takes 1 from the show's: a session the show assigned
     * after its rollback that the node, not rolled back yet, served the treatment (an exposure there,
     * then a move to control when it rolled back), or a conversion of a session the show had moved and
     * the node not yet. Read after {@link #awaitIdle}; figures with no difference are absent.
     */
    Map<String, Long> servedOtherwise() {
        Map<String, Long> out = new java.util.TreeMap<>(servedOtherwise);
        out.values().removeIf(v -> v == 0);
        return out;
    }

    /**
     * Units (per flag) the node still served another variant than the show when they were last
     * evaluated and no longer evaluated again: given up after {@link #REEVALUATE_SHOW_MILLIS}, or
     * still waiting when the show ended. 0 when the node came to agree with the show on every unit.
     * Read after {@link #awaitIdle} at the show's end.
     */
    long unsettled() {
        long waiting = 0;
        for (Lane lane : lanes) {
            waiting += lane.waiting;
        }
        return unsettled.get() + waiting;
    }

    long events() {
        return events.get();
    }

    long batches() {
        return batches.get();
    }

    long refused() {
        return refused.get();
    }

    /** The most a stretch was answered after the show reached its end at its speed, in wall ms. */
    long maxLagMillis() {
        return maxLagNanos.get() / 1_000_000;
    }

    /** Wall ms since the sender began -> the show's ms every lane had sent and had answered by then. */
    Map<Long, Long> reached() {
        return reached;
    }

    long began() {
        return began;
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.thread.interrupt();
        }
        for (Lane lane : lanes) {
            try {
                lane.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Lane {
        final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_PER_LANE);
        final AtomicLong completed = new AtomicLong();
        final Thread thread;
        /** Show thread only. */
        long submitted;
        volatile long sentShowMillis;
        /** Lane thread only: by unit and flag. */
        final Map<String, Pending> pending = new LinkedHashMap<>();
        /** Lane thread only: by unit, then flag, where each side has the unit. */
        final Map<String, Map<String, Cohort>> cohorts = new HashMap<>();
        /** How many units wait in {@link #pending}, as of the lane's last stretch. */
        volatile int waiting;

        Lane(int index) {
            thread = Thread.ofPlatform().name("edgedeck-load-lane-" + index).daemon().unstarted(this::run);
        }

        private void run() {
            try {
                while (true) {
                    List<Chunk> group = group(queue.take());
                    if (failure.get() == null) {
                        send(group);
                    }
                    waiting = pending.size();
                    Chunk first = group.getFirst();
                    sentShowMillis = group.getLast().showMillis();
                    completed.addAndGet(group.size());
                    long lag = first.dueNanos() == 0 ? 0 : System.nanoTime() - first.dueNanos();
                    maxLagNanos.accumulateAndGet(lag, Math::max);
                    long all = Long.MAX_VALUE;
                    for (Lane l : lanes) {
                        all = Math.min(all, l.sentShowMillis);
                    }
                    reached.merge((System.nanoTime() - began) / 1_000_000, all, Math::max);
                }
            } catch (InterruptedException e) {
                // closed
            } catch (LoadException e) {
                failure.compareAndSet(null, e);
                completed.incrementAndGet();
            }
        }

        /**
         * The chunk and those waiting behind it that can go with it: a lane that fell behind sends
         * what piled up in fewer, larger requests and catches up. A chunk joins while none of its
         * evaluations is of a unit with an event in the group, so a unit's order holds exactly:
         * the group's evaluations all go before its events.
         */
        private List<Chunk> group(Chunk head) {
            List<Chunk> group = new ArrayList<>();
            group.add(head);
            Set<String> units = new HashSet<>();
            int size = head.work().size();
            addUnits(head, units);
            for (Chunk next = queue.peek(); next != null && size + next.work().size() <= GROUP_EVENTS; next = queue.peek()) {
                boolean clash = false;
                for (WireTap.Evaluation e : next.work().evaluations()) {
                    clash |= units.contains(e.targetingKey());
                }
                if (clash) {
                    break;
                }
                group.add(queue.poll());
                size += next.work().size();
                addUnits(next, units);
            }
            return group;
        }

        private static void addUnits(Chunk chunk, Set<String> units) {
            for (IngestEvent e : chunk.work().events()) {
                String unit = WireTap.unitOf(e);
                if (unit != null) {
                    units.add(unit);
                }
            }
        }

        private void send(List<Chunk> group) throws LoadException {
            List<WireTap.Evaluation> fresh = new ArrayList<>();
            List<IngestEvent> list = new ArrayList<>();
            for (Chunk c : group) {
                fresh.addAll(c.work().evaluations());
                list.addAll(c.work().events());
            }
            List<WireTap.Evaluation> again = new ArrayList<>();
            long now = System.nanoTime();
            long show = group.getFirst().showMillis();
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Pending> p = it.next();
                if (p.getValue().expired(show, now)) {
                    it.remove();
                    unsettled.incrementAndGet();
                } else if (show >= p.getValue().nextShowMillis()) {
                    again.add(p.getValue().evaluation());
                    p.setValue(p.getValue().attempted(show));
                }
            }
            reevaluations.addAndGet(again.size());
            evaluate(again, false, show);
            evaluate(fresh, true, group.getLast().showMillis());
            for (int from = 0; from < list.size(); from += batch) {
                refused.addAndGet(node.ingest(list.subList(from, Math.min(list.size(), from + batch))));
                batches.incrementAndGet();
            }
            for (IngestEvent e : list) {
                if (e instanceof IngestEvent.Conversion c) {
                    converted(c.targetingKey());
                }
            }
            events.addAndGet(list.size());
        }

        /**
         * An evaluation as each side counts it: the show's exposure of a fresh one, the node's of its answer. The node
         * counts a unit once per flag version: the same variant served at a new version is an exposure of it again
         * (a unit in its moved cohort stays there for its conversions), as docs/LIVE.md says. An answer the node served
         * by default ({@link NodeClient.Served#counted} false) is no exposure there, and leaves the unit where the node
         * had it.
         */
        private void counted(WireTap.Evaluation e, NodeClient.Served served, boolean fresh) {
            String answer = served.variant();
            Map<String, Cohort> flags = cohorts.computeIfAbsent(e.targetingKey(), k -> new HashMap<>(2));
            Cohort was = flags.getOrDefault(e.flag(), Cohort.NONE);
            String showFigure = null;
            String nodeFigure = null;
            Cohort now = was;
            if (fresh) {
                // The show taps a session's variant when it changes: after its first, every one is a move.
                boolean moved = was.showVariant() != null;
                showFigure = e.flag() + "/" + e.variant() + (moved ? " moved in" : " exposures");
                now = new Cohort(e.variant(), moved, now.nodeVariant(), now.nodeMoved(), now.nodeVersion());
            }
            boolean counted = answer != null && served.counted();
            if (counted && !answer.equals(was.nodeVariant())) {
                boolean moved = was.nodeVariant() != null;
                nodeFigure = e.flag() + "/" + answer + (moved ? " moved in" : " exposures");
                now = new Cohort(now.showVariant(), now.showMoved(), answer, moved, served.version());
            } else if (counted && served.version() >= 0 && served.version() != was.nodeVersion()) {
                nodeFigure = e.flag() + "/" + answer + " exposures";
                now = new Cohort(now.showVariant(), now.showMoved(), answer, was.nodeMoved(), served.version());
            }
            flags.put(e.flag(), now);
            differ(nodeFigure, showFigure);
        }

        /** A conversion as each side counts it: for every variant each has the unit in. */
        private void converted(String unit) {
            Map<String, Cohort> flags = cohorts.get(unit);
            if (flags == null) {
                return;
            }
            flags.forEach((flag, c) -> differ(c.nodeVariant() == null ? null
                            : flag + "/" + c.nodeVariant() + (c.nodeMoved() ? " moved conversions" : " conversions"),
                    c.showVariant() == null ? null : flag + "/" + c.showVariant() + (c.showMoved() ? " moved conversions" : " conversions")));
        }

        private void differ(String nodeFigure, String showFigure) {
            if (Objects.equals(nodeFigure, showFigure)) {
                return;
            }
            if (nodeFigure != null) {
                servedOtherwise.merge(nodeFigure, 1L, Long::sum);
            }
            if (showFigure != null) {
                servedOtherwise.merge(showFigure, -1L, Long::sum);
            }
        }

        /** Evaluates them all at once and waits for every answer; a unit the node served otherwise is held for later. */
        private void evaluate(List<WireTap.Evaluation> list, boolean fresh, long showMillis) throws LoadException {
            if (list.isEmpty()) {
                return;
            }
            List<CompletableFuture<NodeClient.Served>> answers = new ArrayList<>(list.size());
            for (WireTap.Evaluation e : list) {
                answers.add(node.evaluate(e));
            }
            try {
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof LoadException l) {
                    throw l;
                }
                throw new LoadException("an OFREP evaluation failed: " + e.getCause(), e.getCause());
            }
            if (fresh) {
                evaluations.addAndGet(list.size());
            }
            long now = System.nanoTime();
            for (int i = 0; i < list.size(); i++) {
                WireTap.Evaluation e = list.get(i);
                String key = e.targetingKey() + "\n" + e.flag();
                counted(e, answers.get(i).join(), fresh);
                if (Objects.equals(answers.get(i).join().variant(), e.variant())) {
                    pending.remove(key);
                } else if (fresh) {
                    pending.put(key, new Pending(e, showMillis, now, showMillis, 0));
                }
            }
        }
    }
}
