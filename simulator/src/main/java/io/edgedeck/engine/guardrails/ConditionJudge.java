package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.MeanDifference;
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
    /** The largest |mean| of compound scores, which lie in [-1, 1]: the near end of a neutral chat's change. */
    static final double SENTIMENT_MAX_ABS_MEAN = 1;
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
     * @param baselineP95Ms   the fleet's learned normal p95 now, in ms ({@code Pops#fleetBaselineP95Ms}); NaN
     *                        while no PoP has learned one
     */
    record PeriodData(ArmTotals variant, ArmTotals control, long variantSessions, long controlSessions,
                      AbstractHistogram variantLatency, AbstractHistogram controlLatency, double baselineP95Ms) {

        PeriodData(ArmTotals variant, ArmTotals control, long variantSessions, long controlSessions,
                   AbstractHistogram variantLatency, AbstractHistogram controlLatency) {
            this(variant, control, variantSessions, controlSessions, variantLatency, controlLatency, Double.NaN);
        }

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
                state == ConditionState.HARM_ESTABLISHED, state, 1 - alpha, meanDifference(cond, d, alpha));
    }

    /**
     * For {@code sentimentChange}, the difference of the arms' mean scores and its interval at the
     * condition's level: the one {@link TwoMeans#relativeChange} is built on, bounded whatever the
     * control's mean, so a producer sees how far the chat moved where the share has no bound. Null
     * for the other metrics. Called only once {@link #estimate} has given one, so each arm has chat.
     */
    private static MeanDifference meanDifference(GuardrailSpec.Condition cond, PeriodData d, double alpha) {
        if (cond.metric() != GuardrailMetric.SENTIMENT_CHANGE) {
            return null;
        }
        Estimate diff = TwoMeans.difference(d.variant().chatMoments(), d.control().chatMoments(), alpha, SENTIMENT_PRIOR_SD,
                SENTIMENT_MIN_SD);
        return new MeanDifference(diff.value(), diff.lower(), diff.upper());
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

    /**
     * Whether the condition's point estimate over the period is past its threshold, found without
     * computing an interval: a condition that is not past it cannot establish harm (state
     * {@code harm-established} needs both), so a period where no condition is past its threshold
     * cannot make the rule hold. The value is the very one {@link #estimate} gives.
     */
    static boolean mayEstablish(GuardrailSpec.Condition cond, PeriodData d) {
        return switch (cond.metric()) {
            case CONVERSION_LIFT -> {
                if (!conversionReady(d)) {
                    yield false;
                }
                double ratio = RateRatio.pointEstimate(d.variant().conversions(), d.control().conversions(), d.variantShare(),
                        1 - d.variantShare());
                yield cond.holds(ratio - 1);
            }
            case P95_LATENCY_MS, P99_LATENCY_MS -> latencyReady(d, false)
                    && cond.holds(quantilePointMs(d.variantLatency(), cond.metric().quantile()));
            case P95_LATENCY_RATIO, P99_LATENCY_RATIO -> latencyReady(d, true)
                    && cond.holds(quantilePointMs(d.variantLatency(), cond.metric().quantile())
                    / quantilePointMs(d.controlLatency(), cond.metric().quantile()));
            case P95_VS_BASELINE -> baselineReady(d)
                    && cond.holds(quantilePointMs(d.variantLatency(), cond.metric().quantile()) / d.baselineP95Ms());
            case SENTIMENT_CHANGE -> d.variant().chat() >= MIN_CHAT && d.control().chat() >= MIN_CHAT
                    && cond.holds(TwoMeans.relativeChangeValue(d.variant().chatMoments(), d.control().chatMoments(),
                    SENTIMENT_FLOOR));
            case ERROR_RATE -> d.variant().requests() >= MIN_REQUESTS
                    && cond.holds((double) d.variant().errors() / d.variant().requests());
        };
    }

    private static boolean conversionReady(PeriodData d) {
        return d.control().conversions() != 0 && d.variantShare() > 0 && d.variantShare() < 1;
    }

    private static boolean latencyReady(PeriodData d, boolean control) {
        return d.variantLatency() != null && d.variantLatency().getTotalCount() >= MIN_REQUESTS
                && (!control || d.controlLatency().getTotalCount() >= MIN_REQUESTS);
    }

    private static boolean baselineReady(PeriodData d) {
        return latencyReady(d, false) && d.baselineP95Ms() > 0;
    }

    /** The estimate and its interval in the metric's unit, or null while the period has too little data. */
    static Estimate estimate(GuardrailSpec.Condition cond, PeriodData d, double alpha) {
        ArmTotals v = d.variant();
        ArmTotals c = d.control();
        return switch (cond.metric()) {
            case CONVERSION_LIFT -> {
                if (!conversionReady(d)) {
                    yield null;
                }
                Estimate ratio = RateRatio.of(v.conversions(), c.conversions(), d.variantShare(), 1 - d.variantShare(), alpha);
                yield new Estimate(ratio.value() - 1, ratio.lower() - 1, ratio.upper() - 1);
            }
            case SENTIMENT_CHANGE -> v.chat() < MIN_CHAT || c.chat() < MIN_CHAT ? null
                    : TwoMeans.relativeChange(v.chatMoments(), c.chatMoments(), SENTIMENT_FLOOR, SENTIMENT_MAX_ABS_MEAN, alpha, SENTIMENT_PRIOR_SD,
                    SENTIMENT_MIN_SD);
            case P95_LATENCY_MS, P99_LATENCY_MS -> !latencyReady(d, false)
                    ? null : quantileMs(d.variantLatency(), d.variantSessions(), cond.metric().quantile(), alpha);
            case P95_LATENCY_RATIO, P99_LATENCY_RATIO -> {
                if (!latencyReady(d, true)) {
                    yield null;
                }
                // each arm's quantile at half the level: together they hold with the full level
                Estimate qv = quantileMs(d.variantLatency(), d.variantSessions(), cond.metric().quantile(), alpha / 2);
                Estimate qc = quantileMs(d.controlLatency(), d.controlSessions(), cond.metric().quantile(), alpha / 2);
                double upper = qc.lower() > 0 ? qv.upper() / qc.lower() : Double.POSITIVE_INFINITY;
                yield new Estimate(qv.value() / qc.value(), qv.lower() / qc.upper(), upper);
            }
            case P95_VS_BASELINE -> {
                if (!baselineReady(d)) {
                    yield null;
                }
                // the normal p95 is taken as a known yardstick: the interval is the variant's alone, divided by it
                Estimate q = quantileMs(d.variantLatency(), d.variantSessions(), cond.metric().quantile(), alpha);
                double normal = d.baselineP95Ms();
                yield new Estimate(q.value() / normal, q.lower() / normal, q.upper() / normal);
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
        // the three order statistics in one walk of the histogram: lower bound, estimate, upper bound
        long[] values = valuesAtRanks(h, Math.max(1, ranks.lower()), QuantileBounds.estimateRank(n, p), Math.min(n, ranks.upper()));
        double estimate = h.highestEquivalentValue(values[1]) / 1000.0;
        double lower = ranks.lower() <= 0 ? 0 : h.lowestEquivalentValue(values[0]) / 1000.0;
        double upper = ranks.upper() > n ? Double.POSITIVE_INFINITY : h.highestEquivalentValue(values[2]) / 1000.0;
        return new Estimate(estimate, Math.min(lower, estimate), Math.max(upper, estimate));
    }

    /** The empirical p-quantile of a latency histogram (microseconds) in ms: the estimate {@link #quantileMs} gives. */
    static double quantilePointMs(AbstractHistogram h, double p) {
        long rank = QuantileBounds.estimateRank(h.getTotalCount(), p);
        return h.highestEquivalentValue(valuesAtRanks(h, rank)[0]) / 1000.0;
    }

    /**
     * The recorded values at the given one-based ranks, found in one walk of the histogram; a rank
     * past the count gives the largest value.
     */
    private static long[] valuesAtRanks(AbstractHistogram h, long... ranks) {
        Integer[] order = new Integer[ranks.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> ranks[i]));
        long[] out = new long[ranks.length];
        int next = 0;
        long seen = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            seen += v.getCountAtValueIteratedTo();
            while (next < order.length && seen >= ranks[order[next]]) {
                out[order[next++]] = v.getValueIteratedTo();
            }
            if (next == order.length) {
                return out;
            }
        }
        for (; next < order.length; next++) {
            out[order[next]] = h.getMaxValue();
        }
        return out;
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
            case P95_LATENCY_MS, P99_LATENCY_MS, P95_LATENCY_RATIO, P99_LATENCY_RATIO, P95_VS_BASELINE, ERROR_RATE -> null;
        };
    }

    private static Double finite(double x) {
        return Double.isInfinite(x) || Double.isNaN(x) ? null : x;
    }
}
