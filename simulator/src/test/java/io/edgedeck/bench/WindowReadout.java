package io.edgedeck.bench;

import java.util.Arrays;

/**
 * What a side of {@link EsperComparisonBenchmark} reports at the end of every engine second: for
 * each PoP, the requests and their p50/p95/p99 latency over the last 10 s and the PoP's RFC 3550
 * jitter; for each flag variant (arm), its exposures and conversions over the last 10 s. A PoP that
 * served nothing in the window has a count of 0 and NaN percentiles.
 */
final class WindowReadout {
    static final int WINDOW_SECONDS = 10;

    long second = -1;
    final long[] requests;
    final double[] p50;
    final double[] p95;
    final double[] p99;
    final double[] jitter;
    final long[] exposures;
    final long[] conversions;

    WindowReadout(int pops, int arms) {
        requests = new long[pops];
        p50 = new double[pops];
        p95 = new double[pops];
        p99 = new double[pops];
        jitter = new double[pops];
        exposures = new long[arms];
        conversions = new long[arms];
    }

    private WindowReadout(WindowReadout o) {
        second = o.second;
        requests = o.requests.clone();
        p50 = o.p50.clone();
        p95 = o.p95.clone();
        p99 = o.p99.clone();
        jitter = o.jitter.clone();
        exposures = o.exposures.clone();
        conversions = o.conversions.clone();
    }

    WindowReadout copy() {
        return new WindowReadout(this);
    }

    void clear() {
        Arrays.fill(requests, 0);
        Arrays.fill(p50, Double.NaN);
        Arrays.fill(p95, Double.NaN);
        Arrays.fill(p99, Double.NaN);
        Arrays.fill(jitter, Double.NaN);
        Arrays.fill(exposures, 0);
        Arrays.fill(conversions, 0);
    }

    /**
     * The 1-based rank of the value at {@code percentile} of {@code n} values, as HdrHistogram's
     * {@code getValueAtPercentile} computes it, so an exact percentile is taken at the same rank.
     */
    static int rank(double percentile, long n) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        return (int) Math.max(1, (long) Math.ceil(requested * n / 100.0));
    }
}
