package io.edgedeck.engine;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.ShowEvent;
import io.edgedeck.engine.experiments.Experiments;
import io.edgedeck.engine.guardrails.Guardrails;
import io.edgedeck.engine.journal.DurableState;
import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.model.Fault;
import io.edgedeck.engine.model.PopSpec;
import io.edgedeck.engine.model.RegionSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled edge: PoPs with latency models and capacity, routing with degraded fallback,
 * checkouts that are completed or queued and reconciled, windowed metrics, and a journal of every
 * state change.
 *
 * <p>Single-threaded and deterministic: only the thread that runs the show calls it, time is the
 * engine's own (advanced by {@link #advance()} one tick at a time), and every random draw comes
 * from streams derived from the config's seed. Commands from outside are queued by the show's
 * runner and applied between ticks.
 */
public final class EdgeEngine {
    private final EngineConfig config;
    private final Journal journal;
    private final PopState[] pops;
    private final int[][] routes;
    private final int[] regionFirstRoute;
    private final double[][] regionRouteCumulative;
    private final Map<String, Integer> popIndex = new HashMap<>();
    private final Map<String, Integer> regionIndex = new HashMap<>();
    private final int ticksPerSecond;

    private final Experiments experiments;
    private final Guardrails guardrails;
    private final io.edgedeck.engine.history.EngineHistory history;
    private final io.edgedeck.engine.sentiment.ChatSentiment chat;
    private boolean replaying;
    private long nowMillis;
    private double lastLatencyMs;
    /** Faults applied and lifted, for the timeline; flag and guardrail events come from the audit trail. */
    private final List<ShowEvent> faultEvents = new ArrayList<>();
    private long checkoutsAttempted;
    private long checkoutsCompleted;
    private long checkoutsQueued;
    private long checkoutsReconciled;
    private long nextCheckoutId = 1;

    public EdgeEngine(EngineConfig config, Journal journal) {
        this.config = config;
        this.journal = journal;
        this.ticksPerSecond = 1000 / config.tickMillis();
        List<PopSpec> specs = config.pops();
        pops = new PopState[specs.size()];
        for (int i = 0; i < pops.length; i++) {
            PopSpec spec = specs.get(i);
            pops[i] = new PopState(spec, i, Rng.forPurpose(config.seed(), "latency/" + spec.id()), config.tickMillis());
            popIndex.put(spec.id(), i);
        }
        // A region's audience is spread over its PoPs in proportion to their capacity, as geo-DNS
        // and anycast spread it; each home PoP falls back to the rest of the region's list in order.
        List<int[]> routes = new ArrayList<>();
        regionFirstRoute = new int[config.regions().size()];
        regionRouteCumulative = new double[config.regions().size()][];
        for (int r = 0; r < config.regions().size(); r++) {
            RegionSpec region = config.regions().get(r);
            regionIndex.put(region.id(), r);
            int[] order = region.pops().stream().mapToInt(popIndex::get).toArray();
            regionFirstRoute[r] = routes.size();
            double[] cumulative = new double[order.length];
            double total = 0;
            for (int home = 0; home < order.length; home++) {
                int[] route = new int[order.length];
                route[0] = order[home];
                for (int i = 0, j = 1; i < order.length; i++) {
                    if (i != home) {
                        route[j++] = order[i];
                    }
                }
                routes.add(route);
                total += specs.get(order[home]).capacityRps();
                cumulative[home] = total;
            }
            for (int i = 0; i < cumulative.length; i++) {
                cumulative[i] /= total;
            }
            cumulative[cumulative.length - 1] = 1.0;
            regionRouteCumulative[r] = cumulative;
        }
        this.routes = routes.toArray(int[][]::new);
        this.history = new io.edgedeck.engine.history.EngineHistory(pops.length);
        this.experiments = new Experiments(specs, config.regions(), journal);
        this.guardrails = new Guardrails(config.guardrails(), experiments, journal);
        this.chat = new io.edgedeck.engine.sentiment.ChatSentiment(journal);
        if (journal.nextSeq() == 1) {
            journal.append(new JournalRecord.ShowStarted(journal.nextSeq(), 0, config.scenario(), config.seed()));
        } else {
            restoreFrom(journal.records());
        }
    }

    /**
     * Rebuilds the durable state a journal records (faults, queued checkouts, flags, guardrail
     * states, the audit trail) by applying its records in order, and resumes engine time at the
     * last one. Nothing is journaled twice.
     */
    private void restoreFrom(List<JournalRecord> records) {
        replaying = true;
        try {
            for (JournalRecord r : records) {
                nowMillis = Math.max(nowMillis, r.atMillis());
                switch (r) {
                    case JournalRecord.ShowStarted s -> {
                        if (!s.scenario().equals(config.scenario())) {
                            throw new IllegalArgumentException("the journal is of show '" + s.scenario()
                                    + "', not '" + config.scenario() + "'");
                        }
                    }
                    case JournalRecord.FaultApplied f -> {
                        PopState p = pops[popIndex(f.pop())];
                        int k = PopState.kindIndex(f.fault());
                        p.faultUntil[k] = f.untilMillis() < 0 ? PopState.UNTIL_LIFTED : f.untilMillis();
                        p.faultMagnitude[k] = f.magnitude();
                        Fault fault = PopState.fault(f.fault(), f.magnitude());
                        faultEvents.add(new ShowEvent(f.atMillis(), "fault", faultLabel(fault, f.pop(),
                                f.untilMillis() < 0 ? 0 : f.untilMillis() - f.atMillis()), f.pop(), null, f.origin()));
                    }
                    case JournalRecord.FaultLifted f -> liftFault(f.pop(), f.fault(), f.origin());
                    case JournalRecord.CheckoutQueued c -> {
                        PopState p = pops[popIndex(c.pop())];
                        p.pendingCheckouts++;
                        p.lastQueuedCheckoutId = c.checkoutId();
                        checkoutsQueued++;
                        checkoutsAttempted++;
                        nextCheckoutId = Math.max(nextCheckoutId, c.checkoutId() + 1);
                    }
                    case JournalRecord.CheckoutsReconciled c -> {
                        PopState p = pops[popIndex(c.pop())];
                        p.pendingCheckouts -= c.count();
                        checkoutsReconciled += c.count();
                    }
                    case JournalRecord.FlagChanged f -> experiments.replay(f);
                    case JournalRecord.VariantPaused v -> experiments.replay(v);
                    case JournalRecord.VariantRolledBackAt v -> experiments.replay(v);
                    case JournalRecord.GuardrailArmed g -> guardrails.replay(g);
                    case JournalRecord.GuardrailFired g -> guardrails.replay(g);
                    case JournalRecord.EmoteValencesLearned e -> chat.replay(e);
                }
            }
        } finally {
            replaying = false;
        }
        nowMillis = (nowMillis + config.tickMillis() - 1) / config.tickMillis() * config.tickMillis();
        experiments.refresh(nowMillis);
    }

    public Experiments experiments() {
        return experiments;
    }

    public Guardrails guardrails() {
        return guardrails;
    }

    /** The engine's reading of chat: language, score, signal, and the emote valences channels learn. */
    public io.edgedeck.engine.sentiment.ChatSentiment chat() {
        return chat;
    }

    /** The latency of the last request {@link #serve} answered, in ms. */
    public double lastLatencyMs() {
        return lastLatencyMs;
    }

    public EngineConfig config() {
        return config;
    }

    public long nowMillis() {
        return nowMillis;
    }

    public int popCount() {
        return pops.length;
    }

    public int regionIndex(String id) {
        Integer r = regionIndex.get(id);
        if (r == null) {
            throw new IllegalArgumentException("unknown region " + id);
        }
        return r;
    }

    public int popIndex(String id) {
        Integer p = popIndex.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown PoP '" + id + "'; this show has " + popIndex.keySet().stream().sorted().toList());
        }
        return p;
    }

    public String popId(int index) {
        return pops[index].spec.id();
    }

    // ---------------------------------------------------------------- traffic

    /**
     * The route a new session from a region takes: its home PoP, drawn in proportion to capacity
     * with {@code u} uniform in [0, 1), then the region's other PoPs, nearest first.
     */
    public int pickRoute(int region, double u) {
        double[] c = regionRouteCumulative[region];
        for (int i = 0; i < c.length - 1; i++) {
            if (u < c[i]) {
                return regionFirstRoute[region] + i;
            }
        }
        return regionFirstRoute[region] + c.length - 1;
    }

    /** The PoP a route starts at: where its sessions are served when all is well. */
    public int homePop(int routeIndex) {
        return routes[routeIndex][0];
    }

    /** The region of a route, by index. */
    public int regionOfRoute(int routeIndex) {
        for (int r = regionFirstRoute.length - 1; r >= 0; r--) {
            if (routeIndex >= regionFirstRoute[r]) {
                return r;
            }
        }
        throw new IllegalArgumentException("no route " + routeIndex);
    }

    public String regionId(int region) {
        return config.regions().get(region).id();
    }

    /**
     * Serves one audience request along a route (see {@link #pickRoute}): the first PoP on it that
     * is up and has headroom takes it; when every PoP is full it queues at the first one that is up.
     *
     * @return the index of the PoP that answered, or -1 when the request was lost
     */
    public int serve(int routeIndex) {
        int[] route = routes[routeIndex];
        PopState target = null;
        int rank = 0;
        for (int i = 0; i < route.length; i++) {
            PopState p = pops[route[i]];
            if (!p.down() && p.hasHeadroom()) {
                target = p;
                rank = i;
                break;
            }
        }
        double queueDelay = 0;
        if (target == null) {
            for (int i = 0; i < route.length; i++) {
                PopState p = pops[route[i]];
                if (!p.down()) {
                    target = p;
                    rank = i;
                    break;
                }
            }
            if (target == null) {
                // Every PoP of the region is out: the request has nowhere to go.
                PopState nearest = pops[route[0]];
                nearest.errors++;
                nearest.windows.recordLoss();
                return -1;
            }
            target.overloadedThisTick = true;
            if (target.queueDepth >= target.queueLimit()) {
                target.errors++;
                target.windows.recordLoss();
                return -1;
            }
            queueDelay = target.queueDelayMs();
            target.queueDepth++;
        } else {
            target.usedThisTick++;
            if (rank > 0) {
                pops[route[0]].overloadedThisTick |= !pops[route[0]].down();
            }
        }
        if (target.sampler.lost(target.lossOverride())) {
            target.errors++;
            target.windows.recordLoss();
            return -1;
        }
        double latency = target.sampler.sample(target.stormJitterMs(), target.shiftMs())
                + rank * config.hopPenaltyMs() + queueDelay;
        lastLatencyMs = latency;
        target.windows.record(latency);
        target.jitter.record(latency);
        target.requests++;
        return target.index;
    }

    /** What became of a checkout. */
    public enum CheckoutOutcome { COMPLETED, QUEUED }

    /**
     * A checkout along a route. Cart and payment state live at the session's home PoP, so the
     * checkout completes only where it can be authorised now: the PoP that serves it must reach the
     * acquirer (not partitioned, acquirer within the authorisation timeout) and the home PoP must
     * be up. Otherwise it is accepted where it landed as a queued authorisation, held against the
     * PoP it waits for, and reconciled when that PoP can authorise again. A checkout is never lost.
     */
    public CheckoutOutcome checkout(int routeIndex) {
        checkoutsAttempted++;
        int served = serve(routeIndex);
        PopState home = pops[routes[routeIndex][0]];
        PopState at = served >= 0 ? pops[served] : firstUp(routeIndex);
        if (!home.down() && at != null && canAuthorise(at)) {
            checkoutsCompleted++;
            return CheckoutOutcome.COMPLETED;
        }
        PopState holder = home.down() || at == null ? home : at;
        long id = nextCheckoutId++;
        holder.pendingCheckouts++;
        holder.lastQueuedCheckoutId = id;
        checkoutsQueued++;
        journal.append(new JournalRecord.CheckoutQueued(journal.nextSeq(), nowMillis, holder.spec.id(), id));
        return CheckoutOutcome.QUEUED;
    }

    private boolean canAuthorise(PopState p) {
        return !p.down() && !p.partitioned() && config.acquirerBaseMs() + p.acquirerExtraMs() <= config.authTimeoutMs();
    }

    private PopState firstUp(int routeIndex) {
        for (int p : routes[routeIndex]) {
            if (!pops[p].down()) {
                return pops[p];
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- faults

    /**
     * Applies a fault to a PoP now, replacing one of the same kind.
     *
     * @param durationMillis how long until it lifts by itself; 0 or less for "until lifted"
     */
    public void applyFault(String popId, Fault fault, long durationMillis, String origin) {
        PopState p = pops[popIndex(popId)];
        int k = PopState.kindIndex(fault.kind());
        long until = durationMillis > 0 ? nowMillis + durationMillis : PopState.UNTIL_LIFTED;
        p.faultUntil[k] = until;
        p.faultMagnitude[k] = PopState.magnitude(fault);
        faultEvents.add(new ShowEvent(nowMillis, "fault", faultLabel(fault, popId, durationMillis), popId, null, origin));
        journal.append(new JournalRecord.FaultApplied(journal.nextSeq(), nowMillis, popId, fault.kind(),
                p.faultMagnitude[k], until == PopState.UNTIL_LIFTED ? -1 : until, origin));
    }

    /** Lifts a fault; lifting one that is not in force does nothing and records nothing. */
    public void liftFault(String popId, String kind, String origin) {
        PopState p = pops[popIndex(popId)];
        int k = PopState.kindIndex(kind);
        if (p.has(k)) {
            p.faultUntil[k] = PopState.NO_FAULT;
            p.faultMagnitude[k] = 0;
            faultEvents.add(new ShowEvent(nowMillis, "fault", kind + " at " + popId + " lifted", popId, null, origin));
            if (!replaying) {
                journal.append(new JournalRecord.FaultLifted(journal.nextSeq(), nowMillis, popId, kind, origin));
            }
        }
    }

    // ---------------------------------------------------------------- time

    /** Ends the current tick: drains queues, reconciles checkouts, updates health, advances time. */
    public void advance() {
        int tick = config.tickMillis();
        chat.tick(nowMillis);
        for (PopState p : pops) {
            if (!p.down() && p.queueDepth > 0) {
                // Spare capacity accrues fractionally so a PoP whose budget is under one request
                // per tick still drains its queue at its real rate.
                p.drainCredit += Math.max(0, p.budgetPerTick - p.usedThisTick);
                long drained = Math.min(p.queueDepth, (long) Math.floor(p.drainCredit));
                p.queueDepth -= drained;
                p.drainCredit -= drained;
            }
            if (p.queueDepth == 0) {
                p.drainCredit = 0;
            }
            if (p.pendingCheckouts > 0 && canAuthorise(p)) {
                checkoutsReconciled += p.pendingCheckouts;
                journal.append(new JournalRecord.CheckoutsReconciled(journal.nextSeq(), nowMillis, p.spec.id(),
                        p.pendingCheckouts, p.lastQueuedCheckoutId));
                p.pendingCheckouts = 0;
            }
            p.health = healthOf(p);
            if (p.health != PopHealth.UP) {
                p.degradedMillis += tick;
            }
            p.usedThisTick = 0;
            p.overloadedThisTick = false;
        }
        nowMillis += tick;
        if (nowMillis % 1000 == 0) {
            // The rules see the second that just ended before the windows move on.
            guardrails.evaluate(nowMillis);
            experiments.rollSecond();
            long second = nowMillis / 1000 - 1;
            for (PopState p : pops) {
                history.recordSecond(p.index, second, p.windows.currentSecond(), p.windows.requestsThisSecond(),
                        p.windows.lostThisSecond(), p.jitter.value());
                p.windows.rollSecond();
                p.jitterSecondsSum += p.jitter.value();
                p.jitterSeconds++;
            }
        }
        expireFaults();
        experiments.refresh(nowMillis);
    }

    private PopHealth healthOf(PopState p) {
        if (p.down()) {
            return PopHealth.DOWN;
        }
        if (p.partitioned()) {
            return PopHealth.PARTITIONED;
        }
        boolean faulted = p.has(2) || p.has(3) || p.has(4) || p.has(5);
        return p.overloadedThisTick || p.queueDepth > 0 || faulted ? PopHealth.DEGRADED : PopHealth.UP;
    }

    private void expireFaults() {
        for (PopState p : pops) {
            for (int k = 0; k < p.faultUntil.length; k++) {
                if (p.has(k) && p.faultUntil[k] != PopState.UNTIL_LIFTED && p.faultUntil[k] <= nowMillis) {
                    liftFault(p.spec.id(), PopState.FAULT_KINDS.get(k), "expired");
                }
            }
        }
    }

    public int ticksPerSecond() {
        return ticksPerSecond;
    }

    // ---------------------------------------------------------------- read-out

    public List<PopMetrics> popMetrics() {
        List<PopMetrics> out = new ArrayList<>(pops.length);
        for (PopState p : pops) {
            out.add(p.metrics());
        }
        return out;
    }

    public CheckoutCounts checkoutCounts() {
        long pending = checkoutsQueued - checkoutsReconciled;
        long lost = checkoutsAttempted - checkoutsCompleted - checkoutsQueued;
        return new CheckoutCounts(checkoutsAttempted, checkoutsCompleted, checkoutsQueued, checkoutsReconciled, lost, pending);
    }

    /** The faults in force per PoP, by kind and magnitude: what a replay of the journal must rebuild. */
    public Map<String, Map<String, Double>> faultsInForce() {
        Map<String, Map<String, Double>> out = new java.util.TreeMap<>();
        for (PopState p : pops) {
            Map<String, Double> faults = new java.util.TreeMap<>();
            for (int k = 0; k < p.faultUntil.length; k++) {
                if (p.has(k)) {
                    faults.put(PopState.FAULT_KINDS.get(k), p.faultMagnitude[k]);
                }
            }
            out.put(p.spec.id(), faults);
        }
        return out;
    }

    /** Checkouts waiting for authorisation per PoP. */
    public Map<String, Long> pendingCheckouts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (PopState p : pops) {
            out.put(p.spec.id(), p.pendingCheckouts);
        }
        return out;
    }

    /** A fault from its journal form: kind and magnitude. */
    public static Fault fault(String kind, double magnitude) {
        return PopState.fault(kind, magnitude);
    }

    static String faultLabel(Fault fault, String pop, long durationMillis) {
        String what = switch (fault) {
            case Fault.Outage o -> "outage at " + pop;
            case Fault.Partition p -> "partition at " + pop;
            case Fault.LatencyShift l -> String.format(java.util.Locale.ROOT, "latency %+.0f ms at %s", l.deltaMs(), pop);
            case Fault.JitterStorm j -> String.format(java.util.Locale.ROOT, "jitter storm +%.0f ms at %s", j.jitterMs(), pop);
            case Fault.Loss l -> String.format(java.util.Locale.ROOT, "loss %.1f%% at %s", l.loss() * 100, pop);
            case Fault.AcquirerSlowdown a -> String.format(java.util.Locale.ROOT, "acquirer +%.0f ms at %s", a.extraMs(), pop);
        };
        return durationMillis > 0 ? what + " for " + durationMillis / 1000 + " s" : what;
    }

    /** Maximum events a frame carries: the newest ones. */
    static final int EVENTS_IN_FRAME = 300;

    /**
     * What changed the show, oldest first, for the timeline: faults applied and lifted, and every
     * audited flag, guardrail and pause change. At most the newest {@value #EVENTS_IN_FRAME}.
     */
    public List<ShowEvent> events() {
        List<ShowEvent> out = new ArrayList<>(faultEvents);
        for (io.edgedeck.client.model.AuditEntry a : experiments.audit()) {
            String kind = a.action().startsWith("guardrail.") || a.actor().startsWith("guardrail:") ? "guardrail" : "flag";
            String flag = a.target().contains("/") ? a.target().substring(0, a.target().indexOf('/')) : a.target();
            out.add(new ShowEvent(a.atMillis(), kind, a.action() + " " + a.target() + ": " + a.after(), null, flag, a.actor()));
        }
        out.sort(java.util.Comparator.comparingLong(ShowEvent::atMillis));
        return out.size() <= EVENTS_IN_FRAME ? out : List.copyOf(out.subList(out.size() - EVENTS_IN_FRAME, out.size()));
    }

    /**
     * What must survive a restart: a fresh engine opened on this engine's journal rebuilds exactly
     * this (the restart test checks it).
     */
    public DurableState durableState() {
        Map<String, Map<String, DurableState.ActiveFault>> faults = new java.util.TreeMap<>();
        Map<String, DurableState.Pending> pending = new java.util.TreeMap<>();
        for (PopState p : pops) {
            Map<String, DurableState.ActiveFault> atPop = new java.util.TreeMap<>();
            for (int k = 0; k < p.faultUntil.length; k++) {
                if (p.has(k)) {
                    long until = p.faultUntil[k] == PopState.UNTIL_LIFTED ? -1 : p.faultUntil[k];
                    atPop.put(PopState.FAULT_KINDS.get(k), new DurableState.ActiveFault(p.faultMagnitude[k], until));
                }
            }
            if (!atPop.isEmpty()) {
                faults.put(p.spec.id(), atPop);
            }
            if (p.pendingCheckouts > 0) {
                pending.put(p.spec.id(), new DurableState.Pending(p.pendingCheckouts, p.lastQueuedCheckoutId));
            }
        }
        return new DurableState(faults, pending, checkoutsQueued, checkoutsReconciled,
                experiments.registry().all(), experiments.audit(), experiments.paused(), experiments.rolledBackAt(), guardrails.armed(),
                guardrails.firings(), journal.nextSeq() - 1);
    }

    /** Latency of every request a PoP served in the completed seconds of the show, in µs. Engine thread. */
    public org.HdrHistogram.Histogram wholeShowHistogram(int pop) {
        return pops[pop].windows.wholeShowHistogram();
    }

    /** A PoP over the whole show, for the run report. */
    public record PopSummary(String id, String region, long requests, long errors,
                             io.edgedeck.client.model.LatencyWindow latency, double meanJitterMs, double degradedSeconds) {
    }

    /**
     * Every PoP over the whole show: latency over every completed second, and the RFC 3550 jitter
     * estimate averaged over those seconds.
     */
    public List<PopSummary> popSummaries() {
        List<PopSummary> out = new ArrayList<>(pops.length);
        for (PopState p : pops) {
            out.add(new PopSummary(p.spec.id(), p.spec.region(), p.requests, p.errors, p.windows.wholeShow(),
                    p.jitterSeconds == 0 ? 0 : p.jitterSecondsSum / p.jitterSeconds, p.degradedMillis / 1000.0));
        }
        return out;
    }

    /**
     * A PoP's latency history over engine seconds {@code [fromSecond, toSecond)}, copied out so it
     * may cross threads. Engine thread.
     */
    public io.edgedeck.client.model.PopHistory history(String popId, long fromSecond, long toSecond) {
        return history.query(popIndex(popId), popId, fromSecond, toSecond);
    }

    /** Bytes the latency history holds. */
    public long historyBytes() {
        return history.retainedBytes();
    }

    public Journal journal() {
        return journal;
    }
}
