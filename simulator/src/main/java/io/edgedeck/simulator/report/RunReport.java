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
                        @JsonInclude(JsonInclude.Include.NON_NULL) TriggerAudit triggerAudit) {

    public static final int VERSION = 1;

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

    /** One stage; {@code withinBudget} when its p95 is at most its budget. */
    public record Stage(String stage, double p50Ms, double p95Ms, double p99Ms, double budgetMs, boolean withinBudget) {
    }

    public record Events(long total, long delivered, long lost) {
    }

    public record Checkouts(long attempted, long completed, long queued, long reconciled, long lost) {
    }

    /** Latency over the whole show; {@code jitterMs} is the RFC 3550 estimate averaged over its seconds. */
    public record Pop(String id, String region, long requests, long errors, double p50Ms, double p95Ms, double p99Ms,
                      double maxMs, double jitterMs, double degradedSeconds) {
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

    /** How the run went on this machine: the one part that differs between runs. */
    public record Run(long wallMillis, double eventsPerSecond) {
    }

    /** The report with {@code run} left out, for comparing two runs. */
    public RunReport withoutRun() {
        return new RunReport(reportVersion, scenario, seed, simulatedSeconds, events, checkouts, pops, variants, sentiment,
                guardrailFirings, null, decisions, triggerAudit);
    }
}
