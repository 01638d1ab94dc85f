package io.edgedeck.engine.decisions;

import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.DecisionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionBudgetTest {
    private final DecisionBudget budget = new DecisionBudget();

    @Test
    void nothingTimedIsNoneNotZeros() {
        assertSame(DecisionMetrics.NONE, budget.metrics(10_000));
        assertTrue(budget.wholeShowPercentiles().isEmpty());
    }

    @Test
    void percentilesAreNearestRankOverTheWindowAndTheTotalIsTheSumOfTheStages() {
        // act 1..100 ms: nearest rank p50 is the 50th value, p95 the 95th, p99 the 99th.
        for (int i = 1; i <= 100; i++) {
            budget.record(1_000 + i, 10, 20, i);
        }
        DecisionMetrics m = budget.metrics(2_000);
        assertEquals(100, m.windowDecisions());
        DecisionMetrics.StageLatency act = m.stage(DecisionStage.ACT);
        assertEquals(50, act.p50Ms());
        assertEquals(95, act.p95Ms());
        assertEquals(99, act.p99Ms());
        assertEquals(300, act.budgetMs());
        DecisionMetrics.StageLatency total = m.stage(DecisionStage.TOTAL);
        assertEquals(30 + 95, total.p95Ms());
        assertEquals(10, m.stage(DecisionStage.VALIDATE).p99Ms());
        assertEquals(0, m.windowOverSlo());
    }

    @Test
    void decisionsOverFiveHundredMillisecondsInAllAreCountedEvenWhenNoStageIsOverItsBudget() {
        budget.record(0, 190, 140, 180);   // 510 ms: every stage within budget, the whole over the objective
        budget.record(0, 100, 100, 299);   // 499 ms
        budget.record(0, 100, 100, 300);   // 500 ms is within
        DecisionMetrics m = budget.metrics(1_000);
        assertEquals(3, m.decisions());
        assertEquals(1, m.overSlo());
        assertEquals(1.0 / 3, m.windowOverSloShare(), 1e-12);
    }

    @Test
    void theWindowForgetsDecisionsOlderThanSixtySecondsButTheShowKeepsThem() {
        budget.record(0, 50, 50, 2_000);
        budget.record(59_000, 20, 20, 20);
        DecisionMetrics at60 = budget.metrics(60_000);
        assertEquals(1, at60.windowDecisions(), "the decision at 0 s is 60 s old: out of the window");
        assertEquals(0, at60.windowOverSlo());
        assertEquals(2, at60.decisions());
        assertEquals(1, at60.overSlo());
        DecisionMetrics later = budget.metrics(200_000);
        assertEquals(0, later.windowDecisions());
        assertTrue(later.stages().isEmpty(), "no percentiles over an empty window");
        assertEquals(2_100, budget.wholeShow(DecisionStage.TOTAL).getMaxValue() / 1000.0, 2.1);
    }

    @Test
    void theWindowHoldsTheNewestDecisionsWhenThereAreMoreThanItsCapacity() {
        for (int i = 0; i < DecisionBudget.WINDOW_CAPACITY + 10; i++) {
            budget.record(1_000, 10, 10, i < 10 ? 1_000 : 10);
        }
        DecisionMetrics m = budget.metrics(1_000);
        assertEquals(DecisionBudget.WINDOW_CAPACITY, m.windowDecisions());
        assertEquals(0, m.windowOverSlo(), "the ten slow ones were the oldest");
        assertEquals(10, m.overSlo());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN, Double.POSITIVE_INFINITY, 120_000.5})
    void aStageTimeThatIsNoTimeIsRefusedAndChangesNothing(double bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> budget.record(0, 10, bad, 10));
        assertTrue(e.getMessage().contains("0 to 120000 ms"), e.getMessage());
        assertNotNull(DecisionBudget.problem(bad));
        assertEquals(0, budget.decisions());
        assertEquals(0, budget.wholeShow(DecisionStage.VALIDATE).getTotalCount());
    }
}
