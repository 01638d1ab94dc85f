package io.edgedeck.engine.metrics;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link LatencyCounts} buckets and answers exactly as an HdrHistogram of the same range and precision. */
class LatencyCountsTest {

    private static Histogram hdr() {
        return new Histogram(1, LatencyCounts.HIGHEST_MICROS, LatencyCounts.DIGITS);
    }

    private static long valueAtPercentile(LatencyCounts c, double percentile) {
        long[] out = new long[1];
        new LatencyCounts().valuesAtPercentiles(c, new double[] {percentile}, out);
        return out[0];
    }

    @Test
    void everyBucketHoldsTheValuesHdrHistogramPutsInIt() {
        Histogram h = hdr();
        for (int i = 0; i < LatencyCounts.LENGTH; i++) {
            long low = LatencyCounts.lowestValue(i);
            long high = LatencyCounts.highestValue(i);
            if (i > 0) {
                assertEquals(LatencyCounts.highestValue(i - 1) + 1, low, "buckets are contiguous at " + i);
            }
            if (low == 0) {
                continue;
            }
            assertEquals(h.lowestEquivalentValue(low), low, "lowest of " + i);
            assertEquals(h.highestEquivalentValue(low), high, "highest of " + i);
            assertEquals(i, LatencyCounts.index(low));
            assertEquals(i, LatencyCounts.index(high));
        }
        assertEquals(LatencyCounts.LENGTH - 1, LatencyCounts.index(LatencyCounts.HIGHEST_MICROS));
        // The last bucket is the one HdrHistogram's range ends in: one more value past its top is beyond it.
        h.recordValue(LatencyCounts.HIGHEST_MICROS);
        assertEquals(LatencyCounts.highestValue(LatencyCounts.LENGTH - 1), h.getMaxValue());
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < 200_000; k++) {
            long v = 1 + (long) Math.exp(random.nextDouble() * Math.log(LatencyCounts.HIGHEST_MICROS - 1));
            assertEquals(h.highestEquivalentValue(v), LatencyCounts.highestValue(LatencyCounts.index(v)), "value " + v);
        }
    }

    @Test
    void percentilesAndMaximumAreHdrHistogramsAfterAddingAndTakingAway() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 300; trial++) {
            LatencyCounts window = new LatencyCounts();
            LatencyCounts second = new LatencyCounts();
            LatencyCounts old = new LatencyCounts();
            Histogram reference = hdr();
            int n = random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(2_000);
            for (int i = 0; i < n; i++) {
                long v = random.nextInt(50) == 0 ? LatencyCounts.HIGHEST_MICROS
                        : 1 + (long) Math.exp(random.nextDouble() * Math.log(5_000_000));
                (i % 2 == 0 ? second : old).record(v);
                if (i % 2 == 0) {
                    reference.recordValue(v);
                }
            }
            // The window holds both; the old one is then taken away again, as a second leaving a window is.
            window.add(second);
            int[] slice = new int[Math.max(1, old.highestIndex() - old.lowestIndex() + 1)];
            int length = old.isEmpty() ? 0 : old.copyTo(slice);
            window.add(old);
            window.subtract(old.lowestIndex(), slice, length, old.total());
            assertEquals(reference.getTotalCount(), window.total());
            assertEquals(reference.getMaxValue(), window.max(), "max of trial " + trial);
            for (double p : new double[] {50, 90, 95, 99, 99.9, 100}) {
                assertEquals(reference.getValueAtPercentile(p), valueAtPercentile(window, p), "p" + p + " of trial " + trial);
            }
            long[] got = new long[3];
            new LatencyCounts().valuesAtPercentiles(window, new double[] {50, 95, 99}, got);
            assertEquals(reference.getValueAtPercentile(95), got[1]);
            Histogram copy = window.toHistogram();
            assertEquals(reference.getTotalCount(), copy.getTotalCount());
            assertEquals(reference.getMaxValue(), copy.getMaxValue());
            assertEquals(reference.getMinNonZeroValue(), copy.getMinNonZeroValue());
            assertEquals(reference.getMean(), copy.getMean(), 0.0);
            assertEquals(reference.getValueAtPercentile(50), copy.getValueAtPercentile(50));
        }
    }

    @Test
    void emptyCountsAnswerAsAnEmptyHistogram() {
        LatencyCounts c = new LatencyCounts();
        assertEquals(hdr().getMaxValue(), c.max());
        assertEquals(hdr().getValueAtPercentile(99), valueAtPercentile(c, 99));
        c.record(40_000);
        c.clear();
        assertEquals(0, c.total());
        assertEquals(0, c.max());
        assertEquals(0, c.count(LatencyCounts.index(40_000)));
    }

    @Test
    void movingASecondOutKeepsItAddsItToEachWindowAndEmptiesIt() {
        SplittableRandom random = new SplittableRandom(23);
        for (int trial = 0; trial < 200; trial++) {
            LatencyCounts second = new LatencyCounts();
            LatencyCounts[] windows = {new LatencyCounts(), new LatencyCounts(), new LatencyCounts()};
            Histogram[] references = {hdr(), hdr(), hdr()};
            Histogram secondReference = hdr();
            for (int w = 0; w < windows.length; w++) {
                // Each window already holds some of its own, possibly nothing.
                for (int i = random.nextInt(3) == 0 ? 0 : random.nextInt(500); i > 0; i--) {
                    long v = 1 + (long) Math.exp(random.nextDouble() * Math.log(5_000_000));
                    windows[w].record(v);
                    references[w].recordValue(v);
                }
            }
            for (int i = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(1_000); i > 0; i--) {
                long v = 1 + (long) Math.exp(random.nextDouble() * Math.log(5_000_000));
                second.record(v);
                secondReference.recordValue(v);
                for (Histogram r : references) {
                    r.recordValue(v);
                }
            }
            int from = second.lowestIndex();
            int[] slice = new int[LatencyCounts.LENGTH];
            int length = second.moveTo(slice, windows[0], windows[1], windows[2]);
            assertEquals(0, second.total(), "emptied");
            assertEquals(-1, second.highestIndex(), "emptied");
            for (int i = 0; i < LatencyCounts.LENGTH; i++) {
                assertEquals(0, second.count(i), "bucket " + i + " emptied");
            }
            // The slice is the second as it was, bucket for bucket.
            LatencyCounts kept = new LatencyCounts();
            kept.add(windows[0]);
            kept.subtract(from, slice, length, secondReference.getTotalCount());
            assertEquals(references[0].getTotalCount() - secondReference.getTotalCount(), kept.total(), "trial " + trial);
            for (int w = 0; w < windows.length; w++) {
                Histogram got = windows[w].toHistogram();
                assertEquals(references[w], got, "window " + w + " of trial " + trial);
                assertEquals(references[w].getMaxValue(), windows[w].max(), "max of window " + w + " of trial " + trial);
                assertEquals(references[w].getValueAtPercentile(95), valueAtPercentile(windows[w], 95), "p95 of window " + w);
            }
            for (int k = 0; k < length; k++) {
                assertEquals(secondReference.getCountAtValue(LatencyCounts.lowestValue(from + k)), slice[k], "slice " + k + " of trial " + trial);
            }
        }
    }
}
