package io.edgedeck.engine.metrics;

import io.edgedeck.client.model.LatencyWindow;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyWindowsTest {

    /** Nearest-rank percentile of an exact sort: the reference HdrHistogram must agree with. */
    private static double exact(double[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    @Test
    void percentilesAgreeWithAnExactSortWithinHistogramPrecision() {
        SplittableRandom r = new SplittableRandom(3);
        LatencyWindows w = new LatencyWindows();
        double[] values = new double[997];
        for (int i = 0; i < values.length; i++) {
            values[i] = 5 + r.nextDouble() * 200;
            w.record(values[i]);
        }
        Arrays.sort(values);
        LatencyWindow s = w.shortWindow();
        assertEquals(values.length, s.count());
        for (double[] pv : new double[][]{{50, s.p50Ms()}, {95, s.p95Ms()}, {99, s.p99Ms()}, {100, s.maxMs()}}) {
            double expected = exact(values, pv[0]);
            // Two significant digits: any value is within 1% of the recorded one.
            assertEquals(expected, pv[1], expected * 0.01 + 0.001, "p" + pv[0]);
        }
    }

    @Test
    void eachWindowIsExactlyItsSecondsAndTheOneInProgressAtEveryMoment() {
        // Against a histogram built afresh from the values of the window's seconds and the second in progress,
        // read mid-second and just after a second closes, over more seconds than the ring holds.
        var random = new java.util.SplittableRandom(11);
        LatencyWindows windows = new LatencyWindows();
        java.util.List<java.util.List<Double>> seconds = new java.util.ArrayList<>();
        seconds.add(new java.util.ArrayList<>());
        for (int s = 0; s < 150; s++) {
            int n = random.nextInt(4) == 0 ? 0 : random.nextInt(300);
            for (int i = 0; i < n; i++) {
                double ms = random.nextInt(10) == 0 ? 500 + random.nextDouble(5_000) : 5 + random.nextDouble(200);
                windows.record(ms);
                seconds.getLast().add(ms);
                if (i == n / 2) {
                    assertWindows(windows, seconds);
                }
            }
            windows.rollSecond();
            seconds.add(new java.util.ArrayList<>());
            assertWindows(windows, seconds);
        }
    }

    /** A window's figures as HdrHistogram gives them for {@code h}: what the windows must answer. */
    private static LatencyWindow summarise(Histogram h, int windowSeconds) {
        long n = h.getTotalCount();
        if (n == 0) {
            return LatencyWindow.empty(windowSeconds);
        }
        return new LatencyWindow(windowSeconds, n, LatencyWindows.ms(h.getValueAtPercentile(50)),
                LatencyWindows.ms(h.getValueAtPercentile(95)), LatencyWindows.ms(h.getValueAtPercentile(99)),
                LatencyWindows.ms(h.getMaxValue()));
    }

    /** Both windows equal a histogram of the last 10 and 60 completed seconds plus the one in progress (the last). */
    private static void assertWindows(LatencyWindows windows, java.util.List<java.util.List<Double>> seconds) {
        for (int span : new int[] {LatencyWindows.SHORT_SECONDS, LatencyWindows.LONG_SECONDS}) {
            Histogram fresh = new Histogram(1, LatencyWindows.HIGHEST_MICROS, LatencyWindows.DIGITS);
            int completed = seconds.size() - 1;
            for (int s = Math.max(0, completed - span); s <= completed; s++) {
                for (double ms : seconds.get(s)) {
                    fresh.recordValue(Math.max(1, Math.min(LatencyWindows.HIGHEST_MICROS, (long) (ms * 1000.0))));
                }
            }
            var want = summarise(fresh, span);
            var got = span == LatencyWindows.SHORT_SECONDS ? windows.shortWindow() : windows.longWindow();
            assertEquals(want, got, "window of " + span + " s after " + completed + " seconds");
        }
    }

    @Test
    void smallHandCheckedSet() {
        LatencyWindows w = new LatencyWindows();
        for (int v = 1; v <= 10; v++) {
            w.record(v);
        }
        LatencyWindow s = w.shortWindow();
        assertEquals(5.0, s.p50Ms(), 0.05);
        assertEquals(10.0, s.p95Ms(), 0.1);
        assertEquals(10.0, s.maxMs(), 0.1);
    }

    @Test
    void secondsLeaveEachWindowWhenTheyAgeOut() {
        LatencyWindows w = new LatencyWindows();
        w.record(100);
        w.rollSecond();
        for (int s = 0; s < 9; s++) {
            w.record(10);
            w.rollSecond();
        }
        assertEquals(100.0, w.shortWindow().maxMs(), 1.0, "the slow second is 10 s old: still in");
        w.record(10);
        w.rollSecond();
        assertEquals(10.0, w.shortWindow().maxMs(), 0.1, "11 s old: out of the 10 s window");
        assertEquals(100.0, w.longWindow().maxMs(), 1.0, "still in the 60 s window");
        for (int s = 0; s < 50; s++) {
            w.rollSecond();
        }
        assertEquals(10.0, w.longWindow().maxMs(), 0.1, "61 s old: out of the 60 s window");
        assertEquals(100.0, w.wholeShow().maxMs(), 1.0, "the whole show keeps everything");
        assertEquals(11, w.wholeShow().count());
    }

    @Test
    void lossAndThroughputCountCompletedSeconds() {
        LatencyWindows w = new LatencyWindows();
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < 90; i++) {
                w.record(20);
            }
            for (int i = 0; i < 10; i++) {
                w.recordLoss();
            }
            w.rollSecond();
        }
        assertEquals(90.0, w.throughputRps(), 1e-9);
        assertEquals(0.1, w.lossRatio(), 1e-9);
    }

    @Test
    void servedAndLostOfTheLast10sFollowEverySecondPastTheRing() {
        // Against sums over the recorded seconds, read mid-second and after each close, over more seconds than the ring holds.
        var random = new SplittableRandom(7);
        LatencyWindows w = new LatencyWindows();
        java.util.List<long[]> seconds = new java.util.ArrayList<>();
        for (int s = 0; s < 150; s++) {
            long served = random.nextInt(4) == 0 ? 0 : random.nextInt(200);
            long lost = random.nextInt(3) == 0 ? 0 : random.nextInt(20);
            for (int i = 0; i < served; i++) {
                w.record(5 + random.nextDouble(200));
            }
            for (int i = 0; i < lost; i++) {
                w.recordLoss();
            }
            assertEquals(served, w.requestsThisSecond(), "served in second " + s + " so far");
            assertEquals(lost, w.lostThisSecond(), "lost in second " + s + " so far");
            assertLast10s(w, seconds, s);
            w.rollSecond();
            seconds.add(new long[] {served, lost});
            assertLast10s(w, seconds, s + 1);
        }
    }

    private static void assertLast10s(LatencyWindows w, java.util.List<long[]> seconds, int completed) {
        long served = 0;
        long lost = 0;
        for (int k = Math.max(0, completed - LatencyWindows.SHORT_SECONDS); k < completed; k++) {
            served += seconds.get(k)[0];
            lost += seconds.get(k)[1];
        }
        assertEquals(served, w.servedLast10s(), "served in the 10 s before second " + completed);
        assertEquals(lost, w.lostLast10s(), "lost in the 10 s before second " + completed);
        assertEquals(served + lost == 0 ? 0 : (double) lost / (served + lost), w.lossRatio(), 0.0);
        assertEquals(served / (double) Math.max(1, Math.min(LatencyWindows.SHORT_SECONDS, completed)), w.throughputRps(), 0.0);
    }
}
