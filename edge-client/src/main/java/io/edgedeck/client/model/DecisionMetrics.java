package io.edgedeck.client.model;

import java.util.List;

/**
 * The decision budget: how long the edge's decisions (one-click checkouts and triggered actions)
 * took per {@link DecisionStage}, as the node measured them or was told by the app that made them.
 *
 * @param decisions       decisions since the show started
 * @param overSlo         of those, how many took longer than the 500 ms confirmation objective in all
 * @param windowSeconds   the recent window the percentiles and {@code windowOverSlo} cover, engine seconds
 * @param windowDecisions decisions in that window (the newest {@code windowCapacity} at most)
 * @param windowOverSlo   of those, how many took longer than 500 ms in all
 * @param stages          per stage (validate, enrich, act, total), p50/p95/p99 over the window; empty
 *                        when the window holds no decision
 */
public record DecisionMetrics(long decisions, long overSlo, int windowSeconds, long windowDecisions, long windowOverSlo,
                              List<StageLatency> stages) {
    public static final DecisionMetrics NONE = new DecisionMetrics(0, 0, 0, 0, 0, List.of());

    public DecisionMetrics {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    /** The share of the window's decisions over 500 ms, 0 to 1; 0 when the window is empty. */
    public double windowOverSloShare() {
        return windowDecisions == 0 ? 0 : (double) windowOverSlo / windowDecisions;
    }

    /** The share of all decisions over 500 ms, 0 to 1. */
    public double overSloShare() {
        return decisions == 0 ? 0 : (double) overSlo / decisions;
    }

    /** One stage's row, or null when the window holds none. */
    public StageLatency stage(DecisionStage stage) {
        for (StageLatency s : stages) {
            if (s.stage().equals(stage.wireName())) {
                return s;
            }
        }
        return null;
    }

    /**
     * One stage's latency over the window.
     *
     * @param stage    {@code validate}, {@code enrich}, {@code act} or {@code total}
     * @param budgetMs the stage's budget ({@link DecisionStage#budgetMs()})
     */
    public record StageLatency(String stage, double p50Ms, double p95Ms, double p99Ms, double budgetMs) {
    }
}
