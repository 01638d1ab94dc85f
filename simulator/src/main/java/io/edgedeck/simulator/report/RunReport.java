package io.edgedeck.simulator.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.edgedeck.client.model.TriggerAudit;

import java.util.List;

/**
 * The JSON report of one headless run, version 1 (ARCHITECTURE.md). Every field but {@code run}
 * is the same for the same scenario and seed, at any speed. Fields may be added; these keep their
 * names and meaning.
 */
@JsonPropertyOrder({"reportVersion", "scenario", "seed", "simulatedSeconds", "events", "checkouts", "pops", "variants",
        "sentiment", "guardrailFirings", "run"})
public record RunReport(int reportVersion, String scenario, long seed, long simulatedSeconds, Events events,
                        Checkouts checkouts, List<Pop> pops, List<Variant> variants, Sentiment sentiment,
                        List<GuardrailFiring> guardrailFirings, Run run,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Decisions decisions,
                        @JsonInclude(JsonInclude.Include.NON_NULL) TriggerAudit triggerAudit,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Costs costs) {

    public static final int VERSION = 1;

    /** A report without costs (a show whose PoPs have none). */
    public RunReport(int reportVersion, String scenario, long seed, long simulatedSeconds, Events events,
                     Checkouts checkouts, List<Pop> pops, List<Variant> variants, Sentiment sentiment,
                     List<GuardrailFiring> guardrailFirings, Run run, Decisions decisions, TriggerAudit triggerAudit) {
        this(reportVersion, scenario, seed, simulatedSeconds, events, checkouts, pops, variants, sentiment, guardrailFirings,
                run, decisions, triggerAudit, null);
    }

    /** A report without the trigger audit (a show with no trigger rules). */
    public RunReport(int reportVersion, String scenario, long seed, long simulatedSeconds, Events events,
                     Checkouts checkouts, List<Pop> pops, List<Variant> variants, Sentiment sentiment,
                     List<GuardrailFiring> guardrailFirings, Run run, Decisions decisions) {
        this(reportVersion, scenario, seed, simulatedSeconds, events, checkouts, pops, variants, sentiment, guardrailFirings,
                run, decisions, null);
    }

    /** A report without the decision budget (a show that timed no decision). */
    public RunReport(int reportVersion, String scenario, long seed, long simulatedSeconds, Events events,
                     Checkouts checkouts, List<Pop> pops, List<Variant> variants, Sentiment sentiment,
                     List<GuardrailFiring> guardrailFirings, Run run) {
        this(reportVersion, scenario, seed, simulatedSeconds, events, checkouts, pops, variants, sentiment, guardrailFirings,
                run, null);
    }

    /**
     * The decision budget over the whole show: checkouts and triggered actions timed per stage.
     *
     * @param decisions decisions timed
     * @param overSlo   of those, over the 500 ms confirmation objective in all
     * @param stages    validate, enrich, act and total: p50/p95/p99 (HdrHistogram, 3 significant digits) and budget
     */
    public record Decisions(long decisions, long overSlo, double overSloShare, List<Stage> stages) {
    }

    /**
     * One stage, judged by {@link io.edgedeck.client.model.DecisionStage.Verdict} as the console's tile
     * judges it: {@code verdict} is {@code within}, {@code p99-over} (p95 within the budget, p99 over
     * it) or {@code over} (p95 over it); {@code withinBudget} when its p95 is at most its budget.
     */
    public record Stage(String stage, double p50Ms, double p95Ms, double p99Ms, double budgetMs, boolean withinBudget,
                        String verdict) {
        /** The stage with the verdict its numbers get. */
        public static Stage of(String stage, double p50Ms, double p95Ms, double p99Ms, double budgetMs) {
            var verdict = io.edgedeck.client.model.DecisionStage.Verdict.of(p95Ms, p99Ms, budgetMs);
            return new Stage(stage, p50Ms, p95Ms, p99Ms, budgetMs, verdict.withinBudget(), verdict.wireName());
        }
    }

    public record Events(long total, long delivered, long lost) {
    }

    public record Checkouts(long attempted, long completed, long queued, long reconciled, long lost) {
    }

    /**
     * Latency over the whole show; {@code jitterMs} is the RFC 3550 estimate averaged over its seconds.
     * {@code errors} are the requests lost, and {@code lossShare} their share of all requests (served and
     * lost); {@code loss} is the PoP's first loss episode, absent when it never lost 5% of its requests
     * for 3 s or more.
     */
    public record Pop(String id, String region, long requests, long errors, double p50Ms, double p95Ms, double p99Ms,
                      double maxMs, double jitterMs, double degradedSeconds, double lossShare,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Loss loss) {
    }

    /**
     * When a PoP first lost requests and kept losing them ({@link io.edgedeck.client.analysis.LossEpisode}).
     *
     * @param fromSecond  the engine second it started
     * @param untilSecond the second it ended, or null when it went on to the end of the show
     * @param share       the share of the episode's requests lost
     * @param after       what changed the show just before it, newest first ({@link io.edgedeck.client.analysis.WhatChanged})
     */
    public record Loss(long fromSecond, Long untilSecond, long requests, long lost, double share, List<Change> after) {
    }

    /** A change on the timeline: when, and what with who made it ("loss 30.0% at sin for 180 s (cue)"). */
    public record Change(long atMillis, String what) {
    }

    /**
     * One variant: sessions the flag's randomisation put in it and their conversions, and apart from
     * them the sessions a flag change (a rollback) moved into it mid-session and their conversions.
     */
    public record Variant(String flag, String variant, long exposures, long conversions, long movedIn, long movedConversions) {
    }

    public record Sentiment(long messages, double mean) {
    }

    public record GuardrailFiring(double atSeconds, String rule, String flag, String variant, String action,
                                  List<String> pops, String reason) {
    }

    /**
     * What each PoP cost and brought in (docs/COST.md), and what the last 50 ms of p95 bought; only
     * when the show gives its PoPs a cost.
     *
     * @param cost        every PoP's cost together, in the show's currency
     * @param lastFiftyMs the fast and slow bands pooled over the PoPs
     */
    public record Costs(List<PopCost> pops, double cost, long conversions, double revenue, LastFiftyMs lastFiftyMs) {
    }

    /** One PoP: its cost so far, its sessions' conversions and their revenue, and both per unit of cost (null at no cost). */
    public record PopCost(String id, double cost, long conversions, double revenue, Double conversionsPerCost,
                          Double revenuePerCost) {
    }

    /**
     * Requests and conversions in the PoPs' fast seconds (10 s p95 under normal + 50 ms) and slow
     * seconds, and the slow band's conversions per request over the fast band's with its 95%
     * interval; null ends where the data cannot bound them, all three null without both bands.
     */
    public record LastFiftyMs(long fastRequests, long fastConversions, long slowRequests, long slowConversions,
                              Double slowOverFast, Double lower, Double upper) {
    }

    /** How the run went on this machine: the one part that differs between runs. */
    public record Run(long wallMillis, double eventsPerSecond) {
    }

    /** The report with {@code run} left out, for comparing two runs. */
    public RunReport withoutRun() {
        return new RunReport(reportVersion, scenario, seed, simulatedSeconds, events, checkouts, pops, variants, sentiment,
                guardrailFirings, null, decisions, triggerAudit, costs);
    }
}
