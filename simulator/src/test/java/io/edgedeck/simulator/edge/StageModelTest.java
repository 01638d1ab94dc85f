package io.edgedeck.simulator.edge;

import io.edgedeck.client.model.DecisionMetrics;
import io.edgedeck.client.model.DecisionStage;
import io.edgedeck.engine.journal.MemoryJournal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated edge times each checkout's stages, and its faults show in those times. */
class StageModelTest {

    /** Records what the tap is told of each checkout. */
    private static final class Taps implements ObservationTap {
        final List<StageTimes> times = new ArrayList<>();
        int untimed;

        @Override
        public void checkout(int pop, boolean completed, StageTimes t) {
            if (t == null) {
                untimed++;
            } else {
                times.add(t);
            }
        }
    }

    private static DecisionMetrics checkouts(TestEdges t, Taps taps, int count) {
        t.edge().tap(taps);
        for (int i = 0; i < count; i++) {
            t.edge().checkout(t.edge().pickRoute(0, (i % 10) / 10.0));
            if (i % 10 == 9) {
                t.advance();
            }
        }
        return t.core().decisions().metrics(t.core().nowMillis());
    }

    @Test
    void aHealthyEdgeDecidesWithinBudgetAndTellsTheTapTheSameTimesTheCoreRecords() {
        TestEdges t = TestEdges.open(3, 100_000, new MemoryJournal());
        Taps taps = new Taps();
        DecisionMetrics m = checkouts(t, taps, 2_000);
        assertEquals(m.decisions(), taps.times.size(), "every timed decision reached the tap");
        assertEquals(2_000, taps.times.size() + taps.untimed);
        assertTrue(taps.untimed < 20, "only a lost request leaves a checkout untimed (loss 0.1%): " + taps.untimed);
        DecisionMetrics.StageLatency validate = m.stage(DecisionStage.VALIDATE);
        assertTrue(validate.p50Ms() > 10 && validate.p50Ms() < 40, "the eu PoPs' latency, 20-25 ms: " + validate);
        DecisionMetrics.StageLatency act = m.stage(DecisionStage.ACT);
        assertTrue(act.p50Ms() > 150 && act.p50Ms() < 210, "the acquirer's 180 ms median: " + act);
        assertTrue(m.stage(DecisionStage.TOTAL).p95Ms() < DecisionStage.TOTAL.budgetMs(), m.toString());
        assertTrue(m.windowOverSloShare() < 0.05, m.toString());
    }

    @Test
    void aSlowAcquirerMakesThePopWaitUntilTheTimeoutAndPushesDecisionsOverTheObjective() {
        TestEdges t = TestEdges.open(3, 100_000, new MemoryJournal());
        t.edge().applyFault(List.of("fra", "ams"), new Fault.AcquirerSlowdown(2500), 0, "test");
        Taps taps = new Taps();
        DecisionMetrics m = checkouts(t, taps, 1_000);
        assertEquals(2_000, m.stage(DecisionStage.ACT).p50Ms(), 1e-9, "every eu checkout waited the 2 s timeout");
        assertTrue(m.windowOverSloShare() > 0.95, m.toString());
        assertEquals(0, t.core().checkouts().counts().completed(), "and none could be authorised");
    }

    @Test
    void aPartitionedPopQueuesAtOnceWithoutWaitingForTheAcquirer() {
        TestEdges t = TestEdges.open(3, 100_000, new MemoryJournal());
        t.edge().applyFault(List.of("fra", "ams"), new Fault.Partition(), 0, "test");
        Taps taps = new Taps();
        DecisionMetrics m = checkouts(t, taps, 1_000);
        assertTrue(m.stage(DecisionStage.ACT).p99Ms() < 100, "a local queue write, not the acquirer: " + m);
        assertNotNull(m.stage(DecisionStage.ENRICH));
    }

    @Test
    void theSameSeedTimesTheSameDecisions() {
        Taps first = new Taps();
        Taps second = new Taps();
        checkouts(TestEdges.open(9, 100_000, new MemoryJournal()), first, 500);
        checkouts(TestEdges.open(9, 100_000, new MemoryJournal()), second, 500);
        assertEquals(first.times, second.times);
        assertNull(new DecisionMetrics(0, 0, 0, 0, 0, null).stage(DecisionStage.ACT));
    }
}
