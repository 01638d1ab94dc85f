package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.stats.BetaBinomial;
import io.edgedeck.client.stats.Estimate;
import io.edgedeck.client.stats.QuantileBounds;
import io.edgedeck.client.stats.RateRatio;
import io.edgedeck.client.stats.TwoMeans;
import io.edgedeck.engine.experiments.Arm;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One condition judged over one evidence period with the statistics of
 * {@link io.edgedeck.client.stats}: its estimate, its anytime-valid interval at the level the
 * period's share of the error budget allows, and what the interval says (docs/GUARDRAILS.md).
 */
final class ConditionJudge {
    /** |control| floor of sentimentChange, so a neutral chat does not turn a wobble into a huge change. */
    static final double SENTIMENT_FLOOR = 0.1;
    /** Mixing spread of the sentiment boundary, in compound-score units. */
    static final double SENTIMENT_PRIOR_SD = 0.1;
    /** Floor on each arm's spread of compound scores, so a few identical lines do not look certain. */
    static final double SENTIMENT_MIN_SD = 0.1;
    /**
     * Scored chat messages per arm (those the scorer could read) before a sentiment estimate is shown
     * or used. A heuristic, not a derived bound: the sentiment interval's variance is estimated, and
     * this keeps its smallest counts out (measured effect in docs/GUARDRAILS.md, Assumptions).
     */
    static final long MIN_CHAT = 30;
    /** Requests before a latency or error-rate estimate is shown or used. */
    static final long MIN_REQUESTS = 100;

    private ConditionJudge() {
    }

    /**
     * The data of one period.
     *
     * @param variantSessions exposures of the variant since the evidence started: its sessions, the
     *                        units it was randomised by
     * @param controlSessions the same for control
     */
    record PeriodData(ArmTotals variant, ArmTotals control, long variantSessions, long controlSessions,
                      AbstractHistogram variantLatency, AbstractHistogram controlLatency) {

        /** The variant's share of the sessions: of those able to convert, for the conversion test. */
        double variantShare() {
            long all = variantSessions + controlSessions;
            return all == 0 ? Double.NaN : (double) variantSessions / all;
        }
    }

    static ConditionStatus judge(GuardrailSpec.Condition cond, PeriodData d, double alpha) {
        Estimate e = estimate(cond, d, alpha);
        if (e == null) {
            return ConditionStatus.noData(cond.metric(), cond.op(), cond.value());
        }
        ConditionState state = classify(cond, e);
        return new ConditionStatus(cond.metric(), cond.op(), cond.value(), e.value(), finite(e.lower()), finite(e.upper()),
                state == ConditionState.HARM_ESTABLISHED, state, 1 - alpha);
    }

    /**
     * What the interval says. "No harm" is "no worse than control" (0 change, ratio 1) for a metric
     * against control, and "not past the threshold" for an absolute one; harm lies the way the op
     * points.
     */
    static ConditionState classify(GuardrailSpec.Condition cond, Estimate e) {
        GuardrailMetric m = cond.metric();
        ComparisonOp op = cond.op();
        boolean harmHigh = op.harmIsHigher();
        double safeEnd = harmHigh ? e.lower() : e.upper();
        double harmEnd = harmHigh ? e.upper() : e.lower();
        boolean past = cond.holds(e.value());
        boolean clear = m.againstControl()
                ? (harmHigh ? safeEnd > m.noEffect() : safeEnd < m.noEffect())
                : cond.holds(safeEnd);
        if (past && clear) {
            return ConditionState.HARM_ESTABLISHED;
        }
        if (past) {
            return ConditionState.PAST_THRESHOLD;
        }
        return cond.holds(harmEnd) ? ConditionState.NOT_RULED_OUT : ConditionState.RULED_OUT;
    }

    /** The estimate and its interval in the metric's unit, or null while the period has too little data. */
    static Estimate estimate(GuardrailSpec.Condition cond, PeriodData d, double alpha) {
        ArmTotals v = d.variant();
        ArmTotals c = d.control();
        return switch (cond.metric()) {
            case CONVERSION_LIFT -> {
                if (c.conversions() == 0 || !(d.variantShare() > 0 && d.variantShare() < 1)) {
                    yield null;
                }
                Estimate ratio = RateRatio.of(v.conversions(), c.conversions(), d.variantShare(), 1 - d.variantShare(), alpha);
                yield new Estimate(ratio.value() - 1, ratio.lower() - 1, ratio.upper() - 1);
            }
            case SENTIMENT_CHANGE -> v.chat() < MIN_CHAT || c.chat() < MIN_CHAT ? null
                    : TwoMeans.relativeChange(v.chatMoments(), c.chatMoments(), SENTIMENT_FLOOR, alpha, SENTIMENT_PRIOR_SD,
                    SENTIMENT_MIN_SD);
            case P95_LATENCY_MS, P99_LATENCY_MS -> d.variantLatency() == null || d.variantLatency().getTotalCount() < MIN_REQUESTS
                    ? null : quantileMs(d.variantLatency(), d.variantSessions(), cond.metric().quantile(), alpha);
            case P95_LATENCY_RATIO, P99_LATENCY_RATIO -> {
                if (d.variantLatency() == null || d.variantLatency().getTotalCount() < MIN_REQUESTS
                        || d.controlLatency().getTotalCount() < MIN_REQUESTS) {
                    yield null;
                }
                // each arm's quantile at half the level: together they hold with the full level
                Estimate qv = quantileMs(d.variantLatency(), d.variantSessions(), cond.metric().quantile(), alpha / 2);
                Estimate qc = quantileMs(d.controlLatency(), d.controlSessions(), cond.metric().quantile(), alpha / 2);
                double upper = qc.lower() > 0 ? qv.upper() / qc.lower() : Double.POSITIVE_INFINITY;
                yield new Estimate(qv.value() / qc.value(), qv.lower() / qc.upper(), upper);
            }
            case ERROR_RATE -> {
                if (v.requests() < MIN_REQUESTS) {
                    yield null;
                }
                // a session's requests share its PoP, so its errors come together: count sessions
                double effective = Math.min(v.requests(), Math.max(1, d.variantSessions()));
                double errors = v.errors() * effective / v.requests();
                Estimate rate = new BetaBinomial(cond.value()).proportion(errors, effective, alpha);
                yield new Estimate((double) v.errors() / v.requests(), Math.min(rate.lower(), rate.value()), rate.upper());
            }
        };
    }

    /**
     * A quantile of a latency histogram (microseconds) in ms, with order-statistic bounds; the lower
     * bound takes the lowest value its bucket stands for and the upper the highest, so the
     * histogram's rounding only widens the interval. The requests of one session share its PoP and
     * its PoP's faults, so they are not independent: the bounds count at most {@code sessions}
     * independent observations ({@link QuantileBounds#ranks(long, long, double, double)}).
     */
    static Estimate quantileMs(AbstractHistogram h, long sessions, double p, double alpha) {
        long n = h.getTotalCount();
        QuantileBounds.Ranks ranks = QuantileBounds.ranks(n, Math.max(1, sessions), p, alpha);
        double estimate = h.highestEquivalentValue(valueAtRank(h, QuantileBounds.estimateRank(n, p))) / 1000.0;
        double lower = ranks.lower() <= 0 ? 0 : h.lowestEquivalentValue(valueAtRank(h, ranks.lower())) / 1000.0;
        double upper = ranks.upper() > n ? Double.POSITIVE_INFINITY
                : h.highestEquivalentValue(valueAtRank(h, ranks.upper())) / 1000.0;
        return new Estimate(estimate, Math.min(lower, estimate), Math.max(upper, estimate));
    }

    /** The {@code rank}-th smallest recorded value (one-based). */
    private static long valueAtRank(AbstractHistogram h, long rank) {
        long seen = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            seen += v.getCountAtValueIteratedTo();
            if (seen >= rank) {
                return v.getValueIteratedTo();
            }
        }
        return h.getMaxValue();
    }

    /**
     * A point estimate for one PoP's window, where only exposures, conversions and chat are kept:
     * null for the other metrics or with too little data.
     */
    static Double pointEstimate(GuardrailMetric metric, Arm.WindowStats v, Arm.WindowStats c) {
        return switch (metric) {
            case CONVERSION_LIFT -> v.exposures() == 0 || c.exposures() == 0 || c.conversions() == 0 ? null
                    : ((double) v.conversions() / v.exposures()) / ((double) c.conversions() / c.exposures()) - 1;
            case SENTIMENT_CHANGE -> v.chatMessages() < MIN_CHAT || c.chatMessages() < MIN_CHAT ? null
                    : (v.chatMean() - c.chatMean()) / Math.max(Math.abs(c.chatMean()), SENTIMENT_FLOOR);
            case P95_LATENCY_MS, P99_LATENCY_MS, P95_LATENCY_RATIO, P99_LATENCY_RATIO, ERROR_RATE -> null;
        };
    }

    private static Double finite(double x) {
        return Double.isInfinite(x) || Double.isNaN(x) ? null : x;
    }
}
