package io.edgedeck.simulator.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgedeck.client.analysis.LossEpisode;
import io.edgedeck.client.analysis.WhatChanged;
import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopValue;
import io.edgedeck.client.cost.LastFiftyMs;
import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.engine.EdgeCore;
import io.edgedeck.simulator.show.Show;

import java.util.List;
import java.util.Locale;

/** Builds and prints run reports. */
public final class Reports {
    public static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Reports() {
    }

    /** The report of a show as it stands now. Engine thread (or after the show's thread has stopped). */
    public static RunReport of(Show show, long wallMillis) {
        EdgeCore core = show.core();
        EventCounts e = core.events().counts();
        CheckoutCounts c = core.checkouts().counts();
        List<RunReport.Pop> pops = core.pops().summaries().stream().map(p -> new RunReport.Pop(p.id(), p.region(),
                p.requests(), p.errors(), p.latency().p50Ms(), p.latency().p95Ms(), p.latency().p99Ms(), p.latency().maxMs(),
                round(p.meanJitterMs()), round(p.degradedSeconds()), share(LossEpisode.share(p.requests(), p.errors())),
                loss(core, p.id()))).toList();
        List<RunReport.Variant> variants = show.variantMetrics().stream()
                .map(v -> new RunReport.Variant(v.flag(), v.variant(), v.exposures(), v.conversions(),
                        v.movedIn(), v.movedConversions())).toList();
        RunReport.Sentiment sentiment = new RunReport.Sentiment(core.chat().messages(), round(core.chat().meanScore()));
        double seconds = wallMillis / 1000.0;
        return new RunReport(RunReport.VERSION, show.definition().name(), show.definition().seed(),
                core.nowMillis() / 1000, new RunReport.Events(e.total(), e.delivered(), e.lost()),
                new RunReport.Checkouts(c.attempted(), c.completed(), c.queued(), c.reconciled(), c.lost()),
                pops, variants, sentiment, show.guardrailFirings(),
                new RunReport.Run(wallMillis, seconds <= 0 ? 0 : Math.round(e.total() / seconds)), decisions(core),
                core.triggers().map(t -> t.audit(core.nowMillis())).orElse(null), costs(core));
    }

    /** The first time {@code pop} lost requests and kept losing them, from its history, or null when it never did. */
    static RunReport.Loss loss(EdgeCore core, String pop) {
        PopHistory h = core.pops().history(pop, 0, core.nowMillis() / 1000);
        return LossEpisode.first(h).map(e -> new RunReport.Loss(e.second(), e.untilSecond() < 0 ? null : e.untilSecond(),
                e.requests(), e.lost(), share(e.share()), WhatChanged.before(core.timeline().events(), pop, e.second())
                        .stream().map(c -> new RunReport.Change(c.atMillis(), c.label() + " (" + c.actor() + ")")).toList())).orElse(null);
    }

    /** A share to five places (0.1% reads 0.001), 0 when there were no requests. */
    private static double share(double share) {
        return Double.isNaN(share) ? 0 : Math.round(share * 100_000) / 100_000.0;
    }

    /** What each PoP cost and brought in, or null when not every PoP has a cost (docs/COST.md). */
    static RunReport.Costs costs(EdgeCore core) {
        var pops = core.pops();
        List<PopMetrics> metrics = new java.util.ArrayList<>();
        for (int p = 0; p < pops.count(); p++) {
            if (pops.site(p).cost() == null) {
                return null;
            }
            metrics.add(pops.metrics(p, 0, core.nowMillis()));
        }
        double cost = 0;
        long conversions = 0;
        double revenue = 0;
        List<RunReport.PopCost> rows = new java.util.ArrayList<>();
        for (PopMetrics m : metrics) {
            PopValue v = m.value();
            rows.add(new RunReport.PopCost(m.id(), round(v.cost()), v.conversions(), round(v.revenue()),
                    roundOrNull(v.conversionsPerCost()), roundOrNull(v.revenuePerCost())));
            cost += v.cost();
            conversions += v.conversions();
            revenue += v.revenue();
        }
        LastFiftyMs l = LastFiftyMs.of(metrics);
        RunReport.LastFiftyMs bands = new RunReport.LastFiftyMs(l.fastRequests(), l.fastConversions(), l.slowRequests(),
                l.slowConversions(), l.ratio() == null ? null : roundOrNull(l.ratio().value()),
                l.ratio() == null ? null : roundOrNull(l.ratio().lower()), l.ratio() == null ? null : roundOrNull(l.ratio().upper()));
        return new RunReport.Costs(rows, round(cost), conversions, round(revenue), bands);
    }

    private static Double roundOrNull(Double x) {
        return x == null || x.isNaN() || x.isInfinite() ? null : round(x);
    }

    /** The decision budget over the whole show, or null when no decision was timed. */
    private static RunReport.Decisions decisions(EdgeCore core) {
        var budget = core.decisions();
        if (budget.decisions() == 0) {
            return null;
        }
        List<RunReport.Stage> stages = budget.wholeShowPercentiles().stream().map(s -> RunReport.Stage.of(s.stage(),
                s.p50Ms(), s.p95Ms(), s.p99Ms(), s.budgetMs())).toList();
        return new RunReport.Decisions(budget.decisions(), budget.overSlo(),
                round((double) budget.overSlo() / budget.decisions()), stages);
    }

    /** The trigger audit's lines: one per trigger, best first, then its overlaps. */
    static String triggerAudit(TriggerAudit a) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "triggers   %,d sessions, %,d converted (%.2f%%); lift = conversion after firing - where it never fired, "
                        + "%.1f%% each end; overlap = other trigger within %d s%n",
                a.sessions(), a.convertedSessions(), a.sessions() == 0 ? 0.0 : 100.0 * a.convertedSessions() / a.sessions(),
                100 * a.level(), a.overlapWindowSeconds()));
        for (TriggerAudit.Row t : a.triggers()) {
            b.append(String.format(Locale.ROOT, "  %d %-16s %-16s %,7d firings %6.2f/min  %5.1f%% of sessions  after %s  never %s  %s  %s%n",
                    t.rank(), t.id(), t.action(), t.firings(), t.firingsPerMinute(), 100 * t.firedShare(),
                    percent(t.conversionAfter()), percent(t.conversionNotFired()), liftText(t), t.verdict().name()
                            .toLowerCase(Locale.ROOT).replace('_', '-')));
            b.append("      ").append(t.reason()).append(System.lineSeparator());
            if (!t.overlapSessions().isEmpty()) {
                b.append("      overlap:");
                t.overlapSessions().forEach((other, n) -> b.append(String.format(Locale.ROOT, " %s %.0f%%", other,
                        100 * t.overlapShare(other))));
                b.append(System.lineSeparator());
            }
        }
        return b.toString();
    }

    private static String percent(Double share) {
        return share == null ? "  -   " : String.format(Locale.ROOT, "%5.2f%%", 100 * share);
    }

    private static String liftText(TriggerAudit.Row t) {
        if (t.lift() == null) {
            return "lift -";
        }
        if (t.liftLower() == null) {
            return String.format(Locale.ROOT, "lift %+.1f pts", 100 * t.lift());
        }
        return String.format(Locale.ROOT, "lift %+.1f pts (%+.1f to %+.1f)", 100 * t.lift(), 100 * t.liftLower(),
                100 * t.liftUpper());
    }

    /** Each PoP's cost against what it brought in, and what the last 50 ms of p95 bought (docs/COST.md). */
    static String costs(RunReport.Costs c) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "cost       %,.2f in all, %,d conversions, %,.2f revenue; per PoP: cost, conversions, revenue, per unit of cost%n",
                c.cost(), c.conversions(), c.revenue()));
        for (RunReport.PopCost p : c.pops()) {
            b.append(String.format(Locale.ROOT, "  %-6s %,10.2f %,8d conv %,12.2f rev   %s conv/unit  %s rev/unit%n", p.id(),
                    p.cost(), p.conversions(), p.revenue(), perUnit(p.conversionsPerCost()), perUnit(p.revenuePerCost())));
        }
        RunReport.LastFiftyMs l = c.lastFiftyMs();
        b.append(String.format(Locale.ROOT, "  last 50 ms of p95: %,d requests in fast seconds, %,d conversions; %,d in slow, %,d",
                l.fastRequests(), l.fastConversions(), l.slowRequests(), l.slowConversions()));
        if (l.slowOverFast() != null) {
            b.append(String.format(Locale.ROOT, "; slow seconds converted x%.2f per request (95%%: %s to %s)", l.slowOverFast(),
                    l.lower() == null ? "0" : String.format(Locale.ROOT, "%.2f", l.lower()),
                    l.upper() == null ? "unbounded" : String.format(Locale.ROOT, "%.2f", l.upper())));
        }
        return b.append(System.lineSeparator()).toString();
    }

    private static String perUnit(Double x) {
        return x == null ? "     -" : String.format(Locale.ROOT, "%,8.2f", x);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    public static String toJson(RunReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run report could not be written as JSON", e);
        }
    }

    /** A decision stage's line in the summary: its percentiles, its budget and its verdict on them. */
    static String stageLine(RunReport.Stage s) {
        return String.format(Locale.ROOT, "  %-9s p50 %7.1f  p95 %7.1f  p99 %7.1f ms  budget %4.0f ms  %s", s.stage(),
                s.p50Ms(), s.p95Ms(), s.p99Ms(), s.budgetMs(), s.verdict());
    }

    /**
     * One line per PoP that lost {@value LossEpisode#MIN_LOST} or more requests and 5% of them for 3 s or
     * more: when, how much, and what changed just before; or one line saying none did.
     */
    static String lossLines(List<RunReport.Pop> pops) {
        StringBuilder b = new StringBuilder();
        for (RunReport.Pop p : pops) {
            RunReport.Loss l = p.loss();
            if (l == null) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "loss       %s %s (%,d of %,d requests lost)", p.id(),
                    LossEpisode.describe(l.share(), l.fromSecond(), l.untilSecond() == null ? -1 : l.untilSecond()),
                    l.lost(), l.requests() + l.lost()));
            if (l.after().isEmpty()) {
                b.append(", nothing changed in the 5 minutes before it");
            } else {
                RunReport.Change c = l.after().getFirst();
                b.append(", ").append(LossEpisode.after(l.fromSecond(), c.atMillis())).append(' ')
                        .append(WhatChanged.clock(c.atMillis() / 1000)).append("  ").append(c.what());
            }
            b.append(System.lineSeparator());
        }
        if (b.isEmpty()) {
            b.append(String.format(Locale.ROOT, "loss       no PoP lost %.0f%% of its requests for %d s or more%n",
                    100 * LossEpisode.DEFAULT_THRESHOLD, LossEpisode.DEFAULT_SUSTAIN_SECONDS));
        }
        return b.toString();
    }

    /** The summary a person reads at the end of a run. */
    public static String summary(RunReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s, seed %d: %d s simulated in %.1f s wall (%,.0f events/s)%n",
                r.scenario(), r.seed(), r.simulatedSeconds(), r.run().wallMillis() / 1000.0, r.run().eventsPerSecond()));
        b.append(String.format(Locale.ROOT, "events     %,d total, %,d delivered, %,d lost%n",
                r.events().total(), r.events().delivered(), r.events().lost()));
        b.append(String.format(Locale.ROOT, "checkouts  %,d attempted: %,d completed, %,d queued, %,d reconciled, %,d lost%n",
                r.checkouts().attempted(), r.checkouts().completed(), r.checkouts().queued(), r.checkouts().reconciled(),
                r.checkouts().lost()));
        b.append(String.format(Locale.ROOT, "%-6s %-6s %10s %7s %8s %8s %8s %8s %9s %10s%n",
                "pop", "region", "requests", "lost", "p50 ms", "p95 ms", "p99 ms", "max ms", "jitter ms", "degraded s"));
        for (RunReport.Pop p : r.pops()) {
            b.append(String.format(Locale.ROOT, "%-6s %-6s %,10d %7s %8.1f %8.1f %8.1f %8.1f %9.2f %10.1f%n",
                    p.id(), p.region(), p.requests(), LossEpisode.percent(LossEpisode.share(p.requests(), p.errors())),
                    p.p50Ms(), p.p95Ms(), p.p99Ms(), p.maxMs(), p.jitterMs(), p.degradedSeconds()));
        }
        b.append(lossLines(r.pops()));
        for (RunReport.Variant v : r.variants()) {
            b.append(String.format(Locale.ROOT, "variant %s/%s: %,d exposures, %,d conversions (%.2f%%)",
                    v.flag(), v.variant(), v.exposures(), v.conversions(),
                    v.exposures() == 0 ? 0.0 : 100.0 * v.conversions() / v.exposures()));
            if (v.movedIn() > 0) {
                b.append(String.format(Locale.ROOT, "; moved in by a flag change: %,d sessions, %,d conversions",
                        v.movedIn(), v.movedConversions()));
            }
            b.append(System.lineSeparator());
        }
        b.append(String.format(Locale.ROOT, "chat       %,d messages, mean sentiment %+.3f%n", r.sentiment().messages(), r.sentiment().mean()));
        if (r.decisions() != null) {
            RunReport.Decisions d = r.decisions();
            b.append(String.format(Locale.ROOT, "decisions  %,d timed, %,d (%.1f%%) over the 500 ms confirmation objective%n",
                    d.decisions(), d.overSlo(), 100 * d.overSloShare()));
            for (RunReport.Stage s : d.stages()) {
                b.append(stageLine(s)).append(System.lineSeparator());
            }
        }
        if (r.triggerAudit() != null) {
            b.append(triggerAudit(r.triggerAudit()));
        }
        if (r.costs() != null) {
            b.append(costs(r.costs()));
        }
        if (r.guardrailFirings().isEmpty()) {
            b.append("guardrails no firings\n");
        }
        for (RunReport.GuardrailFiring f : r.guardrailFirings()) {
            b.append(String.format(Locale.ROOT, "guardrail  %s fired at %.1f s: %s %s/%s at %s (%s)%n", f.rule(), f.atSeconds(),
                    f.action(), f.flag(), f.variant(), String.join(",", f.pops()), f.reason()));
        }
        return b.toString();
    }
}
