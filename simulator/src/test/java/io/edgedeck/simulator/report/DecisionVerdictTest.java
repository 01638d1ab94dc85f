package io.edgedeck.simulator.report;

import io.edgedeck.client.model.DecisionStage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run report judges a decision stage as the console's tile does: the budget on the p95, the p99 its warning. */
class DecisionVerdictTest {

    @Test
    void aStageWhoseP99AloneIsOverItsBudgetIsP99OverInTheSummaryAndTheJson() throws Exception {
        // act in no-effect, seed 1: the console's tile shows these numbers amber, "p99 over budget"
        RunReport.Stage act = RunReport.Stage.of("act", 120.0, 234.5, 304.4, 300);
        assertEquals("p99-over", act.verdict());
        assertTrue(act.withinBudget(), "the p95 keeps the budget");
        assertTrue(Reports.stageLine(act).endsWith("budget  300 ms  p99-over"), Reports.stageLine(act));
        var json = Reports.JSON.readTree(Reports.JSON.writeValueAsString(act));
        assertTrue(json.get("withinBudget").asBoolean(), json.toString());
        assertEquals("p99-over", json.get("verdict").asText(), json.toString());
    }

    @Test
    void withinAndOverAreTheTilesGreenAndRed() {
        RunReport.Stage green = RunReport.Stage.of("validate", 20, 36.1, 46.9, 200);
        assertEquals("within", green.verdict());
        assertTrue(green.withinBudget());
        RunReport.Stage red = RunReport.Stage.of("act", 24.2, 470.8, 2000.9, 300);
        assertEquals("over", red.verdict());
        assertFalse(red.withinBudget());
        assertTrue(Reports.stageLine(red).endsWith("budget  300 ms  over"), Reports.stageLine(red));
        // the budget itself is within it
        assertEquals(DecisionStage.Verdict.WITHIN, DecisionStage.Verdict.of(300, 300, 300));
    }
}
