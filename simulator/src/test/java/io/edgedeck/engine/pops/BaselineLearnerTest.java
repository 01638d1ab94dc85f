package io.edgedeck.engine.pops;

import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is normal for a PoP (docs/BASELINES.md): learned from its quiet seconds, never from a fault's. */
class BaselineLearnerTest {
    private final SplittableRandom random = new SplittableRandom(7);

    /** Seconds of p95 around 50 ms (uniform 45 to 55) and jitter around 4 ms. */
    private void normal(BaselineLearner b, int seconds) {
        for (int s = 0; s < seconds; s++) {
            b.second(45 + 10 * random.nextDouble(), 500, 3 + 2 * random.nextDouble(), PopHealth.UP, false);
        }
    }

    @Test
    void learnsTheMedianAndSpreadOfItsQuietSeconds() {
        BaselineLearner b = new BaselineLearner(300);
        normal(b, 59);
        assertFalse(b.baseline().learned(), "a minute of seconds before it is used");
        normal(b, 1);
        PopBaseline learned = b.baseline();
        assertTrue(learned.learned());
        assertNull(learned.frozenBy());
        assertEquals(50, learned.p95Ms(), 1.5);
        // uniform over 10 ms: MAD 2.5 ms, times 1.4826 = 3.7 ms
        assertEquals(3.7, learned.p95SpreadMs(), 0.6);
        assertEquals(4, learned.jitterMs(), 0.3);
        assertEquals(learned.p95Ms() + 3 * learned.p95SpreadMs(), learned.p95HighMs(), 1e-9);
        normal(b, 400);
        assertEquals(300, b.baseline().samples(), "the window keeps its last 300 seconds");
    }

    @Test
    void aFaultDoesNotMoveTheBaselineNorDoTheSecondsItsWindowStillHolds() {
        BaselineLearner b = new BaselineLearner(300);
        normal(b, 200);
        PopBaseline before = b.baseline();
        for (int s = 0; s < 120; s++) {
            b.second(400, 500, 60, PopHealth.DEGRADED, true);
            assertEquals("fault", b.baseline().frozenBy());
        }
        // the fault is lifted, but the 10 s p95 still holds some of its requests for 10 s: slower than
        // normal yet inside the normal band (further out it would be an alarm)
        for (int s = 0; s < BaselineLearner.SETTLE_SECONDS; s++) {
            b.second(58, 500, 9, PopHealth.UP, false);
            assertEquals("settling", b.baseline().frozenBy());
        }
        PopBaseline after = b.baseline();
        assertEquals(before.p95Ms(), after.p95Ms());
        assertEquals(before.p95SpreadMs(), after.p95SpreadMs());
        assertEquals(before.jitterMs(), after.jitterMs());
        assertEquals(before.samples(), after.samples());
        normal(b, 1);
        assertNull(b.baseline().frozenBy(), "learning again");
        assertEquals(before.samples() + 1, b.baseline().samples());
    }

    @Test
    void anOutageAndAnIdlePopAreNotLearnedFrom() {
        BaselineLearner b = new BaselineLearner(300);
        normal(b, 100);
        b.second(0, 0, 0, PopHealth.DOWN, false);
        assertEquals("down", b.baseline().frozenBy());
        b.second(0, 0, 0, PopHealth.NO_DATA, false);
        assertEquals("no-data", b.baseline().frozenBy());
        BaselineLearner idle = new BaselineLearner(300);
        idle.second(0, 0, 0, PopHealth.UP, false);
        assertEquals("idle", idle.baseline().frozenBy());
        assertEquals(0, idle.baseline().samples());
    }

    /**
     * A node fed by ingest alone knows of no faults: a jump out of the normal band is an alarm and is
     * not learned, for at most the window's length; a change that lasts longer becomes the new normal.
     */
    @Test
    void anAlarmFreezesForAtMostTheWindowThenALastingChangeIsLearned() {
        BaselineLearner b = new BaselineLearner(60);
        normal(b, 60);
        double normal = b.baseline().p95Ms();
        for (int s = 0; s < 60; s++) {
            b.second(150, 500, 4, PopHealth.UP, false);
            assertEquals("alarm", b.baseline().frozenBy(), "second " + s);
            assertEquals(normal, b.baseline().p95Ms());
        }
        for (int s = 0; s < 60; s++) {
            b.second(150, 500, 4, PopHealth.UP, false);
        }
        assertNull(b.baseline().frozenBy());
        assertEquals(150, b.baseline().p95Ms(), 1e-9, "the lasting change is the new normal");
    }

    @Test
    void aSteadyPopStillHasASpreadSoNoiseIsNotAnAlarm() {
        BaselineLearner b = new BaselineLearner(60);
        for (int s = 0; s < 60; s++) {
            b.second(80, 500, 2, PopHealth.UP, false);
        }
        assertEquals(80 * PopBaseline.MIN_SPREAD_SHARE, b.baseline().p95SpreadMs(), 1e-9);
        assertEquals(BaselineLearner.MIN_SPREAD_MS, b.baseline().jitterSpreadMs(), 1e-9);
    }

    @Test
    void aWindowShorterThanTheSecondsABaselineNeedsIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BaselineLearner(30));
        assertTrue(e.getMessage().startsWith("baselineWindowSeconds must be at least 60"), e.getMessage());
    }

    @Test
    void theMedianAndSpreadOfTheSortedWindowAreThoseOfSortingTheWindowAndItsDeviations() {
        SplittableRandom random = new SplittableRandom(23);
        for (int trial = 0; trial < 3_000; trial++) {
            int n = 1 + random.nextInt(300);
            double[] values = new double[n];
            int distinct = 1 + random.nextInt(random.nextBoolean() ? 3 : 1_000);
            for (int i = 0; i < n; i++) {
                // Few distinct values half the time: the windows of a PoP whose p95 stays in a bucket.
                values[i] = random.nextInt(distinct) * 0.25 + (random.nextInt(4) == 0 ? random.nextDouble() * 40 : 0);
            }
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            int mid = n / 2;
            double median = n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
            double[] deviations = new double[n];
            for (int i = 0; i < n; i++) {
                deviations[i] = Math.abs(values[i] - median);
            }
            java.util.Arrays.sort(deviations);
            double mad = n % 2 == 1 ? deviations[mid] : (deviations[mid - 1] + deviations[mid]) / 2;
            double spread = Math.max(BaselineLearner.MAD_SCALE * mad,
                    Math.max(BaselineLearner.MIN_SPREAD_MS, PopBaseline.MIN_SPREAD_SHARE * median));
            assertEquals(median, BaselineLearner.median(sorted, n), "median of trial " + trial);
            assertEquals(spread, BaselineLearner.spread(sorted, n, median), "spread of trial " + trial);
        }
    }

    @Test
    void aWindowKeptSortedSecondBySecondLearnsWhatRelearningItFromScratchWould() {
        // Over more seconds than the window holds, with repeated values and evictions of equal ones.
        SplittableRandom random = new SplittableRandom(31);
        BaselineLearner rolling = new BaselineLearner(60);
        java.util.List<double[]> seconds = new java.util.ArrayList<>();
        for (int s = 0; s < 500; s++) {
            double p95 = 40 + random.nextInt(5) * 2.5;
            double jitter = random.nextInt(3) * 0.5;
            rolling.second(p95, 100, jitter, PopHealth.UP, false);
            seconds.add(new double[] {p95, jitter});
            if (s % 7 == 0) {
                BaselineLearner fresh = new BaselineLearner(60);
                for (double[] x : seconds.subList(Math.max(0, seconds.size() - 60), seconds.size())) {
                    fresh.second(x[0], 100, x[1], PopHealth.UP, false);
                }
                assertEquals(fresh.baseline(), rolling.baseline(), "after second " + s);
            }
        }
    }
}
