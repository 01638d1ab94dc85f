package io.edgedeck.engine.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.MeanDifference;
import io.edgedeck.client.stats.Estimate;
import io.edgedeck.client.stats.TwoMeans;
import org.HdrHistogram.AbstractHistogram;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check a rule makes before judging a later evidence period in full: on random periods, every
 * metric and every comparison, a condition it rules out is never found to establish harm, and for
 * the conversion, sentiment and error-rate conditions it answers exactly whether the estimate's
 * value is past the threshold.
 */
class ConditionJudgeTest {
    private static final double ALPHA = 0.01;

    @Test
    void aConditionRuledOutBeforeJudgingNeverEstablishesHarm() {
        SplittableRandom random = new SplittableRandom(11);
        ComparisonOp[] ops = ComparisonOp.values();
        int ruledOut = 0;
        int established = 0;
        for (int i = 0; i < 400; i++) {
            ConditionJudge.PeriodData d = randomPeriod(random);
            for (GuardrailMetric metric : GuardrailMetric.values()) {
                ComparisonOp op = ops[random.nextInt(ops.length)];
                var cond = new GuardrailSpec.Condition(metric, op, threshold(random, metric));
                boolean may = ConditionJudge.mayEstablish(cond, d);
                var status = ConditionJudge.judge(cond, d, ALPHA);
                if (!may) {
                    ruledOut++;
                    assertNotEquals(ConditionState.HARM_ESTABLISHED, status.state(), cond + " on " + d);
                } else if (status.state() == ConditionState.HARM_ESTABLISHED) {
                    established++;
                }
                if (metric == GuardrailMetric.CONVERSION_LIFT || metric == GuardrailMetric.SENTIMENT_CHANGE
                        || metric == GuardrailMetric.ERROR_RATE) {
                    Estimate e = ConditionJudge.estimate(cond, d, ALPHA);
                    assertEquals(e != null && cond.holds(e.value()), may, cond + " on " + d);
                }
            }
        }
        // both answers were put to the test
        assertNotEquals(0, ruledOut);
        assertNotEquals(0, established);
    }

    /**
     * Over a control whose chat is neutral the share has no bound away from zero; the status carries
     * the difference of the mean scores with its interval, the very one {@link TwoMeans} gives at the
     * condition's level, bounded. Other metrics carry none.
     */
    @Test
    void aSentimentConditionCarriesTheDifferenceOfTheMeanScores() {
        ArmTotals variant = new ArmTotals(500, 10, 200, 200 * -0.2, 200 * (0.04 + 0.09), 0, 0);
        ArmTotals control = new ArmTotals(500, 10, 200, 200 * 0.02, 200 * (0.0004 + 0.09), 0, 0);
        var d = new ConditionJudge.PeriodData(variant, control, 500, 500, Evidence.newHistogram(), Evidence.newHistogram());
        var status = ConditionJudge.judge(new GuardrailSpec.Condition(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15),
                d, ALPHA);
        assertNull(status.lower(), "a neutral control's chat: no bound as a share below");
        Estimate diff = TwoMeans.difference(variant.chatMoments(), control.chatMoments(), ALPHA, ConditionJudge.SENTIMENT_PRIOR_SD,
                ConditionJudge.SENTIMENT_MIN_SD);
        assertEquals(new MeanDifference(diff.value(), diff.lower(), diff.upper()), status.meanDifference());
        assertEquals(-0.22, status.meanDifference().estimate(), 1e-9);
        // a firing records the score difference, not a share nobody can bound
        assertEquals(java.util.Map.of(io.edgedeck.client.guardrails.GuardrailExplanations.SENTIMENT_SCORE_DIFFERENCE,
                status.meanDifference().estimate()), StatusRendering.values(java.util.List.of(status)));
        assertTrue(status.meanDifference().upper() < 0, status.toString());
        assertEquals(ConditionState.HARM_ESTABLISHED, status.state());

        var conversion = ConditionJudge.judge(new GuardrailSpec.Condition(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, -0.1),
                d, ALPHA);
        assertNull(conversion.meanDifference());
    }

    private static double threshold(SplittableRandom random, GuardrailMetric metric) {
        return switch (metric) {
            case SENTIMENT_CHANGE, CONVERSION_LIFT -> random.nextDouble(-0.5, 0.5);
            case P95_LATENCY_MS, P99_LATENCY_MS -> random.nextDouble(10, 400);
            case P95_LATENCY_RATIO, P99_LATENCY_RATIO, P95_VS_BASELINE -> random.nextDouble(0.5, 2);
            case ERROR_RATE -> random.nextDouble(0, 0.2);
        };
    }

    private static ConditionJudge.PeriodData randomPeriod(SplittableRandom random) {
        ArmTotals v = randomArm(random, random.nextDouble(-0.6, 0.6), random.nextDouble(0, 0.15));
        ArmTotals c = randomArm(random, random.nextDouble(-0.6, 0.6), random.nextDouble(0, 0.15));
        AbstractHistogram vl = randomLatency(random);
        AbstractHistogram cl = randomLatency(random);
        return new ConditionJudge.PeriodData(v, c, v.exposures(), c.exposures(), vl, cl,
                random.nextBoolean() ? Double.NaN : random.nextDouble(10, 200));
    }

    private static ArmTotals randomArm(SplittableRandom random, double mood, double errorRate) {
        long exposures = random.nextLong(0, 3_000);
        long conversions = exposures == 0 ? 0 : random.nextLong(0, exposures / 5 + 1);
        long chat = random.nextLong(0, 400);
        double sum = 0;
        double squares = 0;
        for (long m = 0; m < chat; m++) {
            double score = Math.max(-1, Math.min(1, mood + random.nextDouble(-0.5, 0.5)));
            sum += score;
            squares += score * score;
        }
        long requests = random.nextLong(0, 20_000);
        long errors = Math.round(requests * errorRate * random.nextDouble(0.5, 1.5));
        return new ArmTotals(exposures, conversions, chat, sum, squares, requests, Math.min(errors, requests));
    }

    private static AbstractHistogram randomLatency(SplittableRandom random) {
        AbstractHistogram h = Evidence.newHistogram();
        int n = random.nextInt(0, 2_000);
        double base = random.nextDouble(5_000, 200_000);
        for (int i = 0; i < n; i++) {
            h.recordValue((long) (base * (0.5 + random.nextDouble() * random.nextDouble() * 4)));
        }
        return h;
    }
}
