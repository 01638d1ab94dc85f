package io.edgedeck.simulator.fleet;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

/**
 * Latency histograms on the wire: HdrHistogram in microseconds, 1 us to 120 s at two significant
 * digits (the engine's own range and precision), in HdrHistogram's compressed encoding, Base64 in
 * JSON. Any HdrHistogram implementation (Java, Go, Python, JS) decodes it; merging two is exact
 * to that precision, so per-second histograms from many nodes add up to the fleet's.
 */
public final class LatencyHistograms {

    public static final long HIGHEST_MICROS = 120_000_000L;
    public static final int DIGITS = 2;
    /** The largest value a histogram of this range reports (the top of {@link #HIGHEST_MICROS}'s bucket). */
    private static final long LIMIT = new Histogram(1, HIGHEST_MICROS, DIGITS).highestEquivalentValue(HIGHEST_MICROS);

    private LatencyHistograms() {
    }

    public static Histogram empty() {
        return new Histogram(1, HIGHEST_MICROS, DIGITS);
    }

    /** Records a latency in ms, clamped into the histogram's range. */
    public static void recordMillis(Histogram h, double ms) {
        long us = Math.round(ms * 1000.0);
        h.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, us)));
    }

    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf, 6);
        byte[] bytes = new byte[n];
        buf.flip();
        buf.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * @throws IllegalArgumentException when the text is not a histogram in this encoding, or holds
     *                                  values past {@link #HIGHEST_MICROS}
     */
    public static Histogram decode(String base64) {
        Histogram h;
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), HIGHEST_MICROS);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an HdrHistogram in compressed encoding: " + e.getMessage(), e);
        }
        if (h.getTotalCount() > 0 && (h.getMaxValue() > LIMIT || h.getMinValue() < 0)) {
            throw new IllegalArgumentException("latency histogram with values past " + HIGHEST_MICROS + " us");
        }
        return h;
    }

    /** The value at a percentile, in ms; 0 for an empty histogram. */
    public static double percentileMillis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
