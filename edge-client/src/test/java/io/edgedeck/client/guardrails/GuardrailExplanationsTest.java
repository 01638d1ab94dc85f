package io.edgedeck.client.guardrails;

import io.edgedeck.client.model.ComparisonOp;
import io.edgedeck.client.model.ConditionState;
import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailMetric;
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
}
