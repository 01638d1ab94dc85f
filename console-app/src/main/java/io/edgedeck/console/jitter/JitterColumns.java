package io.edgedeck.console.jitter;

import io.edgedeck.client.model.PopHistory;

/**
 * History rows summarised into at most one column per pixel: counts summed, p5 lowest,
 * p95/p99/jitter highest and p50 averaged over the rows that served, so a short spike never
 * disappears when there are more rows than pixels. A column whose rows served nobody has no jitter
 * (NaN), and the line is drawn with a gap there. Each column keeps its time span, so columns of
 * two series (audience and probes) land on one shared time axis.
 */
record JitterColumns(int count, long[] start, long[] end, long[] requests, long[] lost, double[] p5, double[] p50,
                     double[] p95, double[] p99, double[] jitter, long[][] heat) {

    static JitterColumns of(PopHistory h, int maxColumns) {
        int n = h.rows();
        int cols = Math.max(0, Math.min(n, maxColumns));
        JitterColumns c = new JitterColumns(cols, new long[cols], new long[cols], new long[cols], new long[cols], new double[cols],
                new double[cols], new double[cols], new double[cols], new double[cols], new long[cols][h.buckets()]);
        for (int col = 0; col < cols; col++) {
            int r0 = (int) ((long) col * n / cols);
            int r1 = (int) ((long) (col + 1) * n / cols);
            c.start[col] = h.startSecond()[r0];
            c.end[col] = h.startSecond()[r1 - 1] + h.resolutionSeconds();
            c.p5[col] = Double.MAX_VALUE;
            c.jitter[col] = Double.NaN;
            double p50Sum = 0;
            int served = 0;
            for (int r = r0; r < r1; r++) {
                c.lost[col] += h.lost()[r];
                c.jitter[col] = highest(c.jitter[col], h.jitterMs()[r]);
                for (int b = 0; b < h.buckets(); b++) {
                    c.heat[col][b] += h.heat(r, b);
                }
                if (h.requests()[r] > 0) {
                    c.requests[col] += h.requests()[r];
                    c.p5[col] = Math.min(c.p5[col], h.p5Ms()[r]);
                    c.p95[col] = Math.max(c.p95[col], h.p95Ms()[r]);
                    c.p99[col] = Math.max(c.p99[col], h.p99Ms()[r]);
                    p50Sum += h.p50Ms()[r];
                    served++;
                }
            }
            c.p50[col] = served == 0 ? 0 : p50Sum / served;
        }
        return c;
    }

    /** The higher of two jitters, where NaN (a row that served nobody, so measured none) is no value. */
    static double highest(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }
}
