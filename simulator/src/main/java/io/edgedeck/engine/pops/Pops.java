package io.edgedeck.engine.pops;

import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopSlo;
import io.edgedeck.client.model.PopValue;
import io.edgedeck.engine.history.EngineHistory;
import io.edgedeck.engine.metrics.LatencyWindows;
import io.edgedeck.engine.metrics.Rfc3550Jitter;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the core measures at each PoP, from observations only: latency windows, RFC 3550 jitter,
 * requests and losses, second-by-second history, and the PoP's health.
 *
 * <h2>Health</h2>
 * A producer that knows a PoP's state (the simulated edge knows its routing, capacity and faults;
 * later a status probe) reports it with {@link #reportStatus}; while such reports keep coming, they
 * are the PoP's health. Otherwise the core judges it from what it observed, against the PoP's
 * {@link Slo} over the last 10 s (judged once per engine second), and a PoP with no observation of
 * any kind for {@code noDataAfterMillis} is {@link PopHealth#NO_DATA}: unknown, never shown as up.
 * Degraded time counts the seconds a PoP was degraded, down or partitioned; no-data time is not
 * degraded time.
 *
 * <p>The per-request calls ({@link #served}, {@link #lost}) take a PoP index, allocate nothing and
 * read no clock: the fast path of an in-process producer. Owned by the engine thread.
 */
public final class Pops {
    private static final long NEVER = Long.MIN_VALUE;
    /** How far over its normal p95 a PoP's second is in the slow band: "the last 50 ms" (docs/COST.md). */
    public static final double BAND_MS = 50;

    private final PopMeasure[] pops;
    private final Map<String, Integer> index = new HashMap<>();
    private final EngineHistory history;
    private final long noDataAfterMillis;
    private long lastTickMillis;

    private static final class PopMeasure {
        final PopSite site;
        final LatencyWindows windows = new LatencyWindows();
        final BaselineLearner baseline = new BaselineLearner(BaselineLearner.DEFAULT_WINDOW_SECONDS);
        final Rfc3550Jitter jitter = new Rfc3550Jitter();
        long requests;
        long errors;
        long degradedMillis;
        double jitterSecondsSum;
        long jitterSeconds;
        boolean observedThisTick;
        long lastObservedMillis;
        boolean reportedThisTick;
        long reportedAtMillis = NEVER;
        PopHealth reported = PopHealth.UP;
        PopHealth judged = PopHealth.UP;
        PopHealth health = PopHealth.UP;
        long queueDepth;
        List<String> faults = List.of();
        long conversions;
        double revenue;
        long conversionsThisSecond;
        long fastRequests;
        long fastConversions;
        long slowRequests;
        long slowConversions;
        /** What the node's active probes measured here; null until the first probe observation. */
        ProbeSeries probes;

        PopMeasure(PopSite site) {
            this.site = site;
        }
    }

    public Pops(List<PopSite> sites, long noDataAfterMillis) {
        if (noDataAfterMillis <= 0) {
            throw new IllegalArgumentException("noDataAfterMillis must be > 0, was " + noDataAfterMillis);
        }
        this.noDataAfterMillis = noDataAfterMillis;
        pops = new PopMeasure[sites.size()];
        for (int i = 0; i < pops.length; i++) {
            pops[i] = new PopMeasure(sites.get(i));
            if (index.put(sites.get(i).id(), i) != null) {
                throw new IllegalArgumentException("duplicate PoP id " + sites.get(i).id());
            }
        }
        history = new EngineHistory(pops.length);
    }

    public int count() {
        return pops.length;
    }

    /** The index of a PoP by id. */
    public int index(String id) {
        Integer p = index.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown PoP '" + id + "'; this show has " + index.keySet().stream().sorted().toList());
        }
        return p;
    }

    /** The index of a PoP by id, or -1. */
    public int find(String id) {
        Integer p = id == null ? null : index.get(id);
        return p == null ? -1 : p;
    }

    public String id(int pop) {
        return pops[pop].site.id();
    }

    public PopSite site(int pop) {
        return pops[pop].site;
    }

    // ---------------------------------------------------------------- observations

    /** A request at the PoP was answered after {@code latencyMs}. */
    public void served(int pop, double latencyMs) {
        PopMeasure p = pops[pop];
        p.windows.record(latencyMs);
        p.jitter.record(latencyMs);
        p.requests++;
        p.observedThisTick = true;
    }

    /** A request at the PoP was answered, with an error status, after {@code latencyMs}. */
    public void failed(int pop, double latencyMs) {
        served(pop, latencyMs);
        pops[pop].errors++;
    }

    /** A request at the PoP got no answer. */
    public void lost(int pop) {
        PopMeasure p = pops[pop];
        p.errors++;
        p.windows.recordLoss();
        p.observedThisTick = true;
    }

    /**
     * A session whose home is the PoP converted, carrying {@code value} (0 for none): counted for the
     * PoP's cost account and for the latency band of the second it happened in (docs/COST.md).
     */
    public void converted(int pop, double value) {
        PopMeasure p = pops[pop];
        p.conversions++;
        p.revenue += value;
        p.conversionsThisSecond++;
    }

    /**
     * An active probe of the PoP (SmokePing-style, from the node's prober) was answered after
     * {@code latencyMs}. Probes go to the PoP's own probe series,
     * never into the audience's windows, jitter or history: a few probes a second must not move a
     * percentile of what viewers get, and jitter over interleaved probe and viewer requests means
     * nothing. They do count as an observation of the PoP.
     */
    public void probed(int pop, double latencyMs) {
        PopMeasure p = pops[pop];
        probes(p).served(latencyMs);
        p.observedThisTick = true;
    }

    /** An active probe of the PoP got no answer (see {@link #probed}). */
    public void probeLost(int pop) {
        PopMeasure p = pops[pop];
        probes(p).lost();
        p.observedThisTick = true;
    }

    private static ProbeSeries probes(PopMeasure p) {
        if (p.probes == null) {
            p.probes = new ProbeSeries();
        }
        return p.probes;
    }

    /** True once an active probe has measured the PoP. */
    public boolean probed(int pop) {
        return pops[pop].probes != null;
    }

    /**
     * A producer that knows the PoP's state says what it is now, and how many requests wait for
     * capacity there. Counts as an observation.
     */
    public void reportStatus(int pop, PopHealth health, long queueDepth) {
        PopMeasure p = pops[pop];
        p.reported = health;
        p.queueDepth = queueDepth;
        p.reportedThisTick = true;
    }

    /** The faults a producer has put on the PoP, by wire name, for frames; reported when they change. */
    public void reportFaults(int pop, List<String> faults) {
        pops[pop].faults = List.copyOf(faults);
    }

    // ---------------------------------------------------------------- time

    /** Health is judged from engine time {@code nowMillis} on; a restored core calls it with the time it resumes at. */
    public void startAt(long nowMillis) {
        for (PopMeasure p : pops) {
            p.lastObservedMillis = nowMillis;
        }
    }

    /** Ends the tick at {@code nowMillis}: each PoP's health, and its degraded time. */
    public void endTick(long nowMillis, int tickMillis) {
        lastTickMillis = nowMillis + tickMillis;
        for (PopMeasure p : pops) {
            if (p.observedThisTick || p.reportedThisTick) {
                p.lastObservedMillis = nowMillis;
            }
            if (p.reportedThisTick) {
                p.reportedAtMillis = nowMillis;
            }
            p.observedThisTick = false;
            p.reportedThisTick = false;
            p.health = healthOf(p, nowMillis);
            if (p.health != PopHealth.UP && p.health != PopHealth.NO_DATA) {
                p.degradedMillis += tickMillis;
            }
        }
    }

    /**
     * Ends {@code ticks} ticks from {@code fromMillis} as as many calls of {@link #endTick} would, when
     * nothing is observed or reported after the first of them. Past that first tick a PoP's health
     * changes only where its last report or its last observation grows {@code noDataAfterMillis} old,
     * so each PoP's ticks are counted either side of those two instants instead of being ended one by one.
     */
    public void endTicks(long fromMillis, int tickMillis, long ticks) {
        if (ticks <= 0) {
            return;
        }
        endTick(fromMillis, tickMillis);
        long from = fromMillis + tickMillis;
        long rest = ticks - 1;
        if (rest == 0) {
            return;
        }
        long last = from + (rest - 1) * tickMillis;
        lastTickMillis = last + tickMillis;
        for (PopMeasure p : pops) {
            // reported for the ticks before reportedUntil, then judged before noDataFrom, then no-data
            long reportedUntil = p.reportedAtMillis == NEVER ? from : p.reportedAtMillis + noDataAfterMillis;
            long noDataFrom = Math.max(reportedUntil, p.lastObservedMillis + noDataAfterMillis);
            long asReported = ticksBefore(from, tickMillis, rest, reportedUntil);
            long asJudged = ticksBefore(from, tickMillis, rest, noDataFrom) - asReported;
            p.degradedMillis += tickMillis * ((degrades(p.reported) ? asReported : 0) + (degrades(p.judged) ? asJudged : 0));
            p.health = healthOf(p, last);
        }
    }

    /** Of the {@code ticks} ticks from {@code fromMillis}, how many start before {@code instant}. */
    private static long ticksBefore(long fromMillis, int tickMillis, long ticks, long instant) {
        return instant <= fromMillis ? 0 : Math.min(ticks, Math.ceilDiv(instant - fromMillis, tickMillis));
    }

    /** Whether a tick at {@code health} counts as degraded time. */
    private static boolean degrades(PopHealth health) {
        return health != PopHealth.UP && health != PopHealth.NO_DATA;
    }

    /**
     * Closes as many as {@code seconds} whole engine seconds from {@code fromMillis} (a second's start) in
     * one step, when nothing is observed or reported in them and every PoP has settled: nothing served
     * or lost in its last 10 s, no report still counting, judged up, and its baseline frozen for what
     * those seconds are (idle, or no-data once its last observation is old enough), so that ending each
     * of their ticks and closing each second would change nothing but add a history row with no
     * request in it. Those rows are written; the windows roll on (the last 60 s lets go of what it
     * still holds). A PoP that comes to no-data within
     * the stretch stops it there. @return the seconds closed: 0 when some PoP has not settled
     */
    public long closeSettledSeconds(long fromMillis, long seconds) {
        long n = seconds;
        for (PopMeasure p : pops) {
            if (n == 0 || p.observedThisTick || p.reportedThisTick || p.conversionsThisSecond != 0 || !p.windows.quietLast10s()
                    || (p.probes != null && !p.probes.windows.quietLast10s()) || reportedRecently(p, fromMillis)
                    || p.judged != PopHealth.UP) {
                return 0;
            }
            long noDataFrom = p.lastObservedMillis + noDataAfterMillis;
            PopHealth health = fromMillis >= noDataFrom ? PopHealth.NO_DATA : PopHealth.UP;
            if (!p.baseline.settledWhileIdle(health, !p.faults.isEmpty())) {
                return 0;
            }
            if (health == PopHealth.UP) {
                n = Math.min(n, (noDataFrom - fromMillis) / 1000);
            }
        }
        if (n == 0) {
            return 0;
        }
        long fromSecond = fromMillis / 1000;
        for (int i = 0; i < pops.length; i++) {
            PopMeasure p = pops[i];
            history.recordEmptySeconds(i, fromSecond, n);
            p.windows.rollEmptySeconds(n);
            if (p.probes != null) {
                p.probes.rollEmptySeconds(fromSecond, n);
            }
            p.health = fromMillis >= p.lastObservedMillis + noDataAfterMillis ? PopHealth.NO_DATA : PopHealth.UP;
        }
        lastTickMillis = fromMillis + n * 1000;
        return n;
    }

    private PopHealth healthOf(PopMeasure p, long now) {
        if (reportedRecently(p, now)) {
            return p.reported;
        }
        if (now - p.lastObservedMillis >= noDataAfterMillis) {
            return PopHealth.NO_DATA;
        }
        return p.judged;
    }

    private boolean reportedRecently(PopMeasure p, long now) {
        return p.reportedAtMillis != NEVER && now - p.reportedAtMillis < noDataAfterMillis;
    }

    /** Closes engine second {@code second} at every PoP: its history row, its windows, its judged health. */
    public void rollSecond(long second, long nowMillis) {
        for (int i = 0; i < pops.length; i++) {
            PopMeasure p = pops[i];
            long requestsThisSecond = p.windows.requestsThisSecond();
            // A second that served nobody measured no jitter: it stays out of the show's mean.
            boolean measured = !p.windows.currentSecond().isEmpty();
            history.recordSecond(i, second, p.windows.currentSecond(), requestsThisSecond,
                    p.windows.lostThisSecond(), p.jitter.value());
            p.windows.rollSecond();
            if (p.probes != null) {
                p.probes.rollSecond(second);
            }
            if (measured) {
                p.jitterSecondsSum += p.jitter.value();
                p.jitterSeconds++;
            }
            // The 10 s window read once: the judgement and the band both want its p95.
            LatencyWindow last10s = p.windows.shortWindow();
            if (!reportedRecently(p, nowMillis)) {
                p.judged = judge(p, last10s);
            }
            double p95 = last10s.p95Ms();
            band(p, p95, requestsThisSecond);
            p.baseline.second(p95, p.windows.servedLast10s(), p.jitter.value(), p.health, !p.faults.isEmpty());
        }
    }

    /**
     * Puts the second's requests and conversions in the PoP's fast band (10 s p95 under its normal +
     * {@value #BAND_MS} ms) or its slow band (at or over it), judged against the normal learned up to
     * the second before; a second before the PoP has learned its normal is in neither.
     */
    private static void band(PopMeasure p, double p95Ms, long requests) {
        PopBaseline normal = p.baseline.baseline();
        if (normal.learned() && requests > 0) {
            if (p95Ms < normal.p95Ms() + BAND_MS) {
                p.fastRequests += requests;
                p.fastConversions += p.conversionsThisSecond;
            } else {
                p.slowRequests += requests;
                p.slowConversions += p.conversionsThisSecond;
            }
        }
        p.conversionsThisSecond = 0;
    }

    /**
     * Health from the last 10 completed seconds against the PoP's objectives (see the class comment);
     * {@code audience10s} is the PoP's own {@code windows.shortWindow()}, already read.
     */
    private static PopHealth judge(PopMeasure p, LatencyWindow audience10s) {
        LatencyWindows w = p.windows;
        LatencyWindow last10s = audience10s;
        // Viewers' requests are the judgement; a PoP that only probes reach is judged by its probes.
        if (w.servedLast10s() + w.lostLast10s() == 0 && p.probes != null) {
            w = p.probes.windows;
            last10s = w.shortWindow();
        }
        long served = w.servedLast10s();
        long lost = w.lostLast10s();
        if (served == 0) {
            return lost > 0 ? PopHealth.DOWN : PopHealth.UP;
        }
        Slo slo = p.site.slo();
        boolean slow = last10s.p95Ms() > slo.p95Ms();
        return slow || w.lossRatio() > slo.maxLossRatio() ? PopHealth.DEGRADED : PopHealth.UP;
    }

    // ---------------------------------------------------------------- read-out

    public PopHealth health(int pop) {
        return pops[pop].health;
    }

    /** What is normal for a PoP, as learned up to the last completed second (docs/BASELINES.md). */
    public PopBaseline baseline(int pop) {
        return pops[pop].baseline.baseline();
    }

    /**
     * The fleet's normal p95, which the guardrail metric {@code p95VsBaseline} divides by: the mean of
     * the learned PoPs' normal p95s, each weighted by the requests it served in the last 10 s; NaN
     * while no PoP that served any has a learned baseline.
     */
    public double fleetBaselineP95Ms() {
        double weighted = 0;
        long weight = 0;
        for (PopMeasure p : pops) {
            PopBaseline b = p.baseline.baseline();
            long served = p.windows.servedLast10s();
            if (b.learned() && served > 0) {
                weighted += b.p95Ms() * served;
                weight += served;
            }
        }
        return weight == 0 ? Double.NaN : weighted / weight;
    }

    /** One PoP in a metrics frame, its cost as of the last tick ended. */
    public PopMetrics metrics(int pop, long pendingCheckouts) {
        return metrics(pop, pendingCheckouts, lastTickMillis);
    }

    /** One PoP in a metrics frame, at engine time {@code nowMillis}. */
    public PopMetrics metrics(int pop, long pendingCheckouts, long nowMillis) {
        PopMeasure p = pops[pop];
        PopCost cost = p.site.cost();
        return new PopMetrics(p.site.id(), p.site.region(), p.health,
                p.windows.shortWindow(), p.windows.longWindow(),
                p.jitter.value(), p.windows.lossRatio(), p.windows.throughputRps(),
                p.requests, p.errors, p.degradedMillis / 1000.0, p.queueDepth, pendingCheckouts, p.faults,
                p.baseline.baseline(), new PopValue(cost == null ? null : cost.costOf(nowMillis, p.requests), p.conversions,
                p.revenue, p.fastRequests, p.fastConversions, p.slowRequests, p.slowConversions),
                p.site.slo().declared() ? new PopSlo(p.site.slo().p95Declared() ? p.site.slo().p95Ms() : null,
                        p.site.slo().maxLossRatio()) : null);
    }

    /**
     * Every PoP over the whole show: latency over every completed second, and the RFC 3550 jitter
     * estimate averaged over those seconds that served a request (one that served none measured none).
     */
    public List<PopSummary> summaries() {
        List<PopSummary> out = new ArrayList<>(pops.length);
        for (PopMeasure p : pops) {
            out.add(new PopSummary(p.site.id(), p.site.region(), p.requests, p.errors, p.windows.wholeShow(),
                    p.jitterSeconds == 0 ? 0 : p.jitterSecondsSum / p.jitterSeconds, p.degradedMillis / 1000.0));
        }
        return out;
    }

    /** Latency of every request a PoP served in the completed seconds of the show, in µs. */
    public Histogram wholeShowHistogram(int pop) {
        return pops[pop].windows.wholeShowHistogram();
    }

    /** A PoP's latency history over engine seconds {@code [fromSecond, toSecond)}, copied out so it may cross threads. */
    public PopHistory history(String popId, long fromSecond, long toSecond) {
        PopMeasure p = pops[index(popId)];
        PopHistory audience = history.query(index(popId), popId, fromSecond, toSecond);
        return p.probes == null ? audience : audience.withProbes(p.probes.history.query(0, popId, fromSecond, toSecond));
    }

    /** Bytes the latency history holds. */
    public long historyBytes() {
        long bytes = history.retainedBytes();
        for (PopMeasure p : pops) {
            bytes += p.probes == null ? 0 : p.probes.history.retainedBytes();
        }
        return bytes;
    }
}
