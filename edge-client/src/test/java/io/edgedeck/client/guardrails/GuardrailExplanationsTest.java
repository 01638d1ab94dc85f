package io.edgedeck.client.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.MeanDifference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class GuardrailExplanationsTest {

    /**
     * A sentiment change with no lower end is one over a control whose chat may be neutral: more
     * chat will not bound it as a share, so the words do not say "yet"; another metric's missing end does.
     */
    @Test
    void aSentimentChangeOverANeutralControlSaysWhyItHasNoBound() {
        assertEquals("sentiment change (no bound as a share: control's chat may be neutral): not clearly above -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -0.13, null, 0.2, false, ConditionState.NOT_RULED_OUT, 0.99)));
        assertEquals("conversion lift +5% (no bound on that side yet): not clearly above 3%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, 0.03,
                        0.05, null, 0.2, false, ConditionState.NOT_RULED_OUT, 0.99)));
    }

    /**
     * Where the share has no bound, its estimate is the difference over the 0.1 floor (-847% for a score 0.85 lower), no
     * number to read: the difference of the mean scores is the estimate shown, with its interval (bounded, and what harm
     * is decided on), then the share's end that has a bound. Where both ends of the share are bounded the share says it.
     */
    @Test
    void aSentimentChangeWithNoBoundAsAShareShowsTheScoreDifference() {
        var diff = new MeanDifference(-0.21, -0.30, -0.12);
        assertEquals("sentiment change score -0.21 (-0.30 to +0.04 on a scale of -1 to 1; no bound as a share: control's chat"
                        + " may be neutral): below -15% but not clearly below control yet",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -2.1, null, null, false, ConditionState.PAST_THRESHOLD, 0.99, new MeanDifference(-0.21, -0.30, 0.04))));
        assertEquals("sentiment change score -0.21 (-0.30 to -0.12 on a scale of -1 to 1; as a share at most -12%): clearly"
                        + " below control and below -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -2.1, null, -0.12, true, ConditionState.HARM_ESTABLISHED, 0.99, diff)));
        assertEquals("sentiment change score +0.02 (-0.001 to +0.05 on a scale of -1 to 1; as a share at least +1%): clearly"
                        + " above -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        0.08, 0.01, null, false, ConditionState.RULED_OUT, 0.99, new MeanDifference(0.02, -0.001, 0.05))));
        assertEquals("sentiment change -40% (at most -10%): clearly below control and below -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -0.4, -0.7, -0.1, true, ConditionState.HARM_ESTABLISHED, 0.99, diff)),
                "both ends bounded as a share: the share says it");
    }

    /** Over a neutral control a score 0.85 lower is a share of -847%: that number is never what a producer reads. */
    @Test
    void aShareNobodyCanBoundIsNotShownAsANumber() {
        String text = GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT,
                -0.15, -8.47, null, -0.6, true, ConditionState.HARM_ESTABLISHED, 0.99, new MeanDifference(-0.847, -0.95, -0.6)));
        assertEquals("sentiment change score -0.85 (-0.95 to -0.60 on a scale of -1 to 1; as a share at most -60%): clearly"
                + " below control and below -15%", text);
        assertFalse(text.contains("847"), text);
    }

    /** A firing records such a change as the score difference, and reads so beside the other values. */
    @Test
    void aFiringsScoreDifferenceReadsAsTheScore() {
        java.util.Map<String, Double> values = new java.util.LinkedHashMap<>();
        values.put(GuardrailExplanations.SENTIMENT_SCORE_DIFFERENCE, -0.024);
        values.put("conversionLift", 0.021);
        assertEquals("sentiment change score -0.02, conversion lift +2.1%", GuardrailExplanations.values(values));
    }

    /** An end of the score that rounds to 0.00 still says which side of zero it is on. */
    @Test
    void aScoreEndNearZeroKeepsItsSide() {
        String text = GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT,
                -0.15, -0.4, null, -0.0002, true, ConditionState.HARM_ESTABLISHED, 0.99,
                new MeanDifference(-0.04, -0.07, -0.0002)));
        assertEquals("sentiment change score -0.04 (-0.07 to just below 0 on a scale of -1 to 1; as a share at most -0.0%):"
                + " clearly below control and below -15%", text);
    }
}
