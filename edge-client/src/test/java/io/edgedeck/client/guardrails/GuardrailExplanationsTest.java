package io.edgedeck.client.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.MeanDifference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GuardrailExplanationsTest {

    /**
     * A sentiment change with no lower end is one over a control whose chat may be neutral: more
     * chat will not bound it as a share, so the words do not say "yet"; another metric's missing end does.
     */
    @Test
    void aSentimentChangeOverANeutralControlSaysWhyItHasNoBound() {
        assertEquals("sentiment change -13% (no bound as a share: control's chat may be neutral): not clearly above -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -0.13, null, 0.2, false, ConditionState.NOT_RULED_OUT, 0.99)));
        assertEquals("conversion lift +5% (no bound on that side yet): not clearly above 3%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.CONVERSION_LIFT, ComparisonOp.LT, 0.03,
                        0.05, null, 0.2, false, ConditionState.NOT_RULED_OUT, 0.99)));
    }

    /**
     * Where the share has no bound, the difference of the mean scores is shown beside it, with its
     * interval: bounded, and what harm is decided on. Where both ends of the share are bounded it is
     * left out, and a node that does not send it reads as before.
     */
    @Test
    void aSentimentChangeWithNoBoundAsAShareShowsTheScoreDifference() {
        var diff = new MeanDifference(-0.21, -0.30, -0.12);
        assertEquals("sentiment change -210% (no bound as a share: control's chat may be neutral), score -0.21 (-0.30 to +0.04)"
                        + " on a scale of -1 to 1: below -15% but not clearly below control yet",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -2.1, null, null, false, ConditionState.PAST_THRESHOLD, 0.99, new MeanDifference(-0.21, -0.30, 0.04))));
        assertEquals("sentiment change -210% (at most -12%), score -0.21 (-0.30 to -0.12) on a scale of -1 to 1: clearly below"
                        + " control and below -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -2.1, null, -0.12, true, ConditionState.HARM_ESTABLISHED, 0.99, diff)));
        assertEquals("sentiment change +8% (at least +1%), score +0.02 (-0.001 to +0.05) on a scale of -1 to 1: clearly above -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        0.08, 0.01, null, false, ConditionState.RULED_OUT, 0.99, new MeanDifference(0.02, -0.001, 0.05))));
        assertEquals("sentiment change -40% (at most -10%): clearly below control and below -15%",
                GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT, -0.15,
                        -0.4, -0.7, -0.1, true, ConditionState.HARM_ESTABLISHED, 0.99, diff)),
                "both ends bounded as a share: the share says it");
    }

    /** An end of the score that rounds to 0.00 still says which side of zero it is on. */
    @Test
    void aScoreEndNearZeroKeepsItsSide() {
        String text = GuardrailExplanations.condition(new ConditionStatus(GuardrailMetric.SENTIMENT_CHANGE, ComparisonOp.LT,
                -0.15, -0.4, null, -0.0002, true, ConditionState.HARM_ESTABLISHED, 0.99,
                new MeanDifference(-0.04, -0.07, -0.0002)));
        assertEquals("sentiment change -40% (at most -0.0%), score -0.04 (-0.07 to just below 0) on a scale of -1 to 1:"
                + " clearly below control and below -15%", text);
    }
}
