package io.edgedeck.client.model;

import java.util.Locale;

/**
 * The stages of one edge decision (a one-click checkout, or the action a micro-metric trigger
 * fires), each with its budget: validate (check the request: token, cart, eligibility) 50-200 ms,
 * enrich (look up what the decision needs: the session's profile, stock) 50-150 ms, act (authorise
 * the payment, or put the offer on screen) under 300 ms, and the three together under the 500 ms
 * on-screen confirmation objective. The lower bound of a range is what the stage usually needs;
 * the upper bound is its budget, the number a stage's p95 is held against.
 */
public enum DecisionStage {
    VALIDATE(50, 200),
    ENRICH(50, 150),
    ACT(0, 300),
    /** The whole decision, from the request to the confirmation on screen. */
    TOTAL(0, 500);

    private final double typicalMs;
    private final double budgetMs;

    DecisionStage(double typicalMs, double budgetMs) {
        this.typicalMs = typicalMs;
        this.budgetMs = budgetMs;
    }

    /** The lower end of the stage's range: what it usually needs, ms (0 when none is stated). */
    public double typicalMs() {
        return typicalMs;
    }

    /** The stage's budget, ms: its p95 should stay within it. */
    public double budgetMs() {
        return budgetMs;
    }

    /**
     * How a stage's latency stands against its budget: the one rule the console's tile, the run
     * report and its summary all use (docs/DECISION-BUDGET.md). The budget is on the p95; the p99
     * is the early warning.
     */
    public enum Verdict {
        /** p95 and p99 within the budget (the tile is green). */
        WITHIN("within"),
        /** p95 within the budget, p99 over it (amber): within budget, with a tail over it. */
        P99_OVER("p99-over"),
        /** p95 over the budget (red). */
        OVER("over");

        private final String wireName;

        Verdict(String wireName) {
            this.wireName = wireName;
        }

        /** {@code within}, {@code p99-over} or {@code over}: the name in reports and their summaries. */
        public String wireName() {
            return wireName;
        }

        /** Whether the stage keeps its budget: its p95 is within it (so {@link #WITHIN} and {@link #P99_OVER}). */
        public boolean withinBudget() {
            return this != OVER;
        }

        /** The verdict on a stage whose p95 and p99 are these, against this budget (all ms). */
        public static Verdict of(double p95Ms, double p99Ms, double budgetMs) {
            return p95Ms > budgetMs ? OVER : p99Ms > budgetMs ? P99_OVER : WITHIN;
        }
    }

    /** The name on the wire and in labels: {@code validate}, {@code enrich}, {@code act}, {@code total}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stage of a wire name, or null. */
    public static DecisionStage of(String wireName) {
        for (DecisionStage s : values()) {
            if (s.wireName().equals(wireName)) {
                return s;
            }
        }
        return null;
    }
}
