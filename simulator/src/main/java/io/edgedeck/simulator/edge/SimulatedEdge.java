package io.edgedeck.simulator.edge;

import io.edgedeck.engine.EdgeCore;
import io.edgedeck.engine.checkouts.Checkouts;
import io.edgedeck.engine.decisions.DecisionBudget;
import io.edgedeck.engine.pops.Pops;

import java.util.List;

/**
 * The simulated edge: PoPs with latency models and capacity, routing with degraded fallback,
 * queues, faults, and a payment acquirer that decides whether a checkout can be authorised. It is
 * one producer of observations: every request it serves or loses, every checkout's fate and every
 * PoP's state each tick are told to the {@link EdgeCore}, through the core's index-based fast path.
 *
 * <p>Deterministic: every latency is drawn from a stream derived from the model's seed and the PoP
 * ({@link Rng}). Engine thread only; the show calls {@link #endTick()} before the core advances
 * and {@link #expireFaults()} after.
 */
public final class SimulatedEdge {
    private final EdgeModel model;
    private final Pops pops;
    private final Checkouts checkouts;
    private final SimulatedPop[] sim;
    private final Routes routes;
    private final SimulatedFaults faults;
    private final DecisionBudget decisions;
    private final java.util.function.LongSupplier clock;
    private final StageModel stages;
    private ObservationTap tap = ObservationTap.NONE;
    private double lastLatencyMs;
    /** The PoP that answered the last request, or -1 when it was lost. */
    private int lastServed = -1;

    /** A simulated edge feeding {@code core}, whose PoPs must be the model's, in the same order. */
    public SimulatedEdge(EdgeModel model, EdgeCore core) {
        this.model = model;
        this.pops = core.pops();
        this.checkouts = core.checkouts();
        this.decisions = core.decisions();
        this.clock = core::nowMillis;
        List<PopSpec> specs = model.pops();
        if (specs.size() != pops.count()) {
            throw new IllegalArgumentException("the model has " + specs.size() + " PoPs, the core " + pops.count());
        }
        sim = new SimulatedPop[specs.size()];
        for (int i = 0; i < sim.length; i++) {
            PopSpec spec = specs.get(i);
            if (!spec.id().equals(pops.id(i))) {
                throw new IllegalArgumentException("PoP " + i + " is " + spec.id() + " in the model and " + pops.id(i) + " in the core");
            }
            sim[i] = new SimulatedPop(spec, i, Rng.forPurpose(model.seed(), "latency/" + spec.id()), model.tickMillis());
        }
        this.routes = new Routes(specs, model.regions());
        this.faults = new SimulatedFaults(sim, core);
        this.stages = new StageModel(model);
    }

    public EdgeModel model() {
        return model;
    }

    /** Shows {@code tap} every request and checkout this edge tells the core from now on. Engine thread. */
    public void tap(ObservationTap tap) {
        this.tap = java.util.Objects.requireNonNull(tap, "tap");
    }

    // ---------------------------------------------------------------- routing

    /**
     * The route a new session from a region takes: its home PoP, drawn in proportion to capacity
     * with {@code u} uniform in [0, 1), then the region's other PoPs, nearest first.
     */
    public int pickRoute(int region, double u) {
        return routes.pick(region, u);
    }

    /** The PoP a route starts at: where its sessions are served when all is well. */
    public int homePop(int routeIndex) {
        return routes.home(routeIndex);
    }

    /** The region of a route, by index. */
    public int regionOfRoute(int routeIndex) {
        return routes.regionOf(routeIndex);
    }

    public String regionId(int region) {
        return routes.regionId(region);
    }

    // ---------------------------------------------------------------- requests

    /**
     * Serves one audience request along a route (see {@link #pickRoute}): the first PoP on it that
     * is up and has headroom takes it; when every PoP is full it queues at the first one that is up.
     * The core observes the answer's latency, or its loss.
     *
     * @return the index of the PoP that answered, or -1 when the request was lost
     */
    public int serve(int routeIndex) {
        int[] route = routes.route(routeIndex);
        SimulatedPop target = null;
        int rank = 0;
        for (int i = 0; i < route.length; i++) {
            SimulatedPop p = sim[route[i]];
            if (!p.down() && p.hasHeadroom()) {
                target = p;
                rank = i;
                break;
            }
        }
        double queueDelay = 0;
        if (target == null) {
            for (int i = 0; i < route.length; i++) {
                SimulatedPop p = sim[route[i]];
                if (!p.down()) {
                    target = p;
                    rank = i;
                    break;
                }
            }
            if (target == null) {
                // Every PoP of the region is out: the request has nowhere to go.
                return lose(route[0]);
            }
            target.overloadedThisTick = true;
            if (target.queueDepth >= target.queueLimit()) {
                return lose(target.index);
            }
            queueDelay = target.queueDelayMs();
            target.queueDepth++;
        } else {
            target.usedThisTick++;
            if (rank > 0) {
                sim[route[0]].overloadedThisTick |= !sim[route[0]].down();
            }
        }
        if (target.sampler.lost(target.lossOverride())) {
            return lose(target.index);
        }
        double latency = target.sampler.sample(target.stormJitterMs(), target.shiftMs())
                + rank * model.hopPenaltyMs() + queueDelay;
        lastLatencyMs = latency;
        lastServed = target.index;
        pops.served(target.index, latency);
        tap.served(target.index, latency);
        return target.index;
    }

    private int lose(int pop) {
        lastServed = -1;
        pops.lost(pop);
        tap.lost(pop);
        return -1;
    }

    /** The latency of the last request {@link #serve} answered, in ms. */
    public double lastLatencyMs() {
        return lastLatencyMs;
    }

    /** What became of a checkout. */
    public enum CheckoutOutcome { COMPLETED, QUEUED }

    /**
     * A checkout along a route. Cart and payment state live at the session's home PoP, so the
     * checkout completes only where it can be authorised now: the PoP that serves it must reach the
     * acquirer (not partitioned, acquirer within the authorisation timeout) and the home PoP must
     * be up. Otherwise it is accepted where it landed as a queued authorisation, held against the
     * PoP it waits for, and reconciled when that PoP can authorise again. A checkout is never lost.
     *
     * <p>A checkout whose request was answered is a decision: its stage times ({@link StageModel})
     * go to the core's decision budget and to the tap. One whose request got no answer has no
     * confirmation to time.
     */
    public CheckoutOutcome checkout(int routeIndex) {
        checkouts.attempted();
        int served = serve(routeIndex);
        double validateMs = lastLatencyMs;
        SimulatedPop home = sim[routes.home(routeIndex)];
        SimulatedPop at = served >= 0 ? sim[served] : firstUp(routeIndex);
        if (!home.down() && at != null && canAuthorise(at)) {
            checkouts.completed();
            StageTimes times = served < 0 ? null : decided(validateMs, home, at,
                    Math.min(stages.acquirerMs(model.acquirerBaseMs(), at), model.authTimeoutMs()));
            tap.checkout(at.index, true, times);
            return CheckoutOutcome.COMPLETED;
        }
        SimulatedPop holder = home.down() || at == null ? home : at;
        checkouts.queued(holder.index);
        StageTimes times = null;
        if (served >= 0) {
            // Reaching the acquirer, the PoP waited for it until the timeout; cut off from it, it queues at once.
            boolean waited = !home.down() && !at.partitioned();
            times = decided(validateMs, home, at, waited ? model.authTimeoutMs() : stages.requestMs(holder));
        }
        tap.checkout(holder.index, false, times);
        return CheckoutOutcome.QUEUED;
    }

    /**
     * A micro-metric trigger fired on the interaction whose request this edge served last: the
     * action is a decision, timed by the stage model, when that request was answered. Engine thread.
     */
    public void triggered(int routeIndex) {
        if (lastServed < 0) {
            return;
        }
        SimulatedPop at = sim[lastServed];
        SimulatedPop home = sim[routes.home(routeIndex)];
        decided(lastLatencyMs, home, at, stages.requestMs(at));
    }

    private StageTimes decided(double validateMs, SimulatedPop home, SimulatedPop at, double actMs) {
        StageTimes times = new StageTimes(validateMs, stages.enrichMs(home.down() ? at : home, at), actMs);
        decisions.record(clock.getAsLong(), times.validateMs(), times.enrichMs(), times.actMs());
        return times;
    }

    private boolean canAuthorise(SimulatedPop p) {
        return !p.down() && !p.partitioned() && model.acquirerBaseMs() + p.acquirerExtraMs() <= model.authTimeoutMs();
    }

    private SimulatedPop firstUp(int routeIndex) {
        for (int p : routes.route(routeIndex)) {
            if (!sim[p].down()) {
                return sim[p];
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- time

    /**
     * Ends the current tick of the simulated PoPs: drains queues with the capacity left over,
     * reconciles the checkouts a PoP can authorise again, and tells the core each PoP's state.
     */
    public void endTick() {
        for (SimulatedPop p : sim) {
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
            if (checkouts.pendingAt(p.index) > 0 && canAuthorise(p)) {
                checkouts.reconcile(p.index);
                tap.reconciled(p.index);
            }
            pops.reportStatus(p.index, p.health(), p.queueDepth);
            p.usedThisTick = 0;
            p.overloadedThisTick = false;
        }
    }

    /** Lifts the faults whose time ran out; call after the core advanced. */
    public void expireFaults() {
        faults.expire();
    }

    // ---------------------------------------------------------------- faults

    /**
     * Applies a fault to a PoP now, replacing one of the same kind.
     *
     * @param durationMillis how long until it lifts by itself; 0 or less for "until lifted"
     */
    public void applyFault(String popId, Fault fault, long durationMillis, String origin) {
        faults.apply(popId, fault, durationMillis, origin);
    }

    /** Applies a fault to several PoPs as one change: journaled in one write, all or none. */
    public void applyFault(java.util.List<String> popIds, Fault fault, long durationMillis, String origin) {
        faults.applyAll(popIds, fault, durationMillis, origin);
    }

    /** Lifts a fault; lifting one that is not in force does nothing and records nothing. */
    public void liftFault(String popId, FaultKind kind, String origin) {
        faults.lift(popId, kind, origin);
    }

    public SimulatedFaults faults() {
        return faults;
    }
}
