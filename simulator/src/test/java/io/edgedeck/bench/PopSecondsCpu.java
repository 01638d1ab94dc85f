package io.edgedeck.bench;

import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.pops.Pops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The per-PoP part of the engine alone, in CPU time (docs/BENCHMARKS.md, "48 PoPs against 12, 6 Dec
 * 2026"): a second's events spread at random over N PoPs ({@link Pops#served}, latencies about 20 ms
 * with a long tail, drawn beforehand), then the second's ten ticks and its roll ({@link Pops#endTick},
 * {@link Pops#rollSecond}). Between seconds it reads 32 MB at random, untimed, as the rest of the engine
 * does to the caches. Prints this thread's CPU time per engine second over batches of 60 seconds: the
 * fastest batch, the first quartile and the median.
 *
 * <pre>java -cp "$BENCH_CP" io.edgedeck.bench.PopSecondsCpu POPS EVENTS_PER_SECOND BATCHES</pre>
 */
public final class PopSecondsCpu {
    private PopSecondsCpu() {
    }

    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        int perSecond = Integer.parseInt(args[1]);
        int batches = Integer.parseInt(args[2]);
        List<PopSite> sites = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sites.add(PopSite.of("pop-" + i, "region-" + i % 4, 0));
        }
        Pops pops = new Pops(sites, 5_000);
        SplittableRandom random = new SplittableRandom(1);
        long[] elsewhere = new long[4 << 20];
        int[] pop = new int[perSecond];
        double[] latency = new double[perSecond];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] perSecondNanos = new long[batches];
        long sink = 0;
        long second = 0;
        for (int b = 0; b < batches; b++) {
            long cpu = 0;
            for (int s = 0; s < 60; s++, second++) {
                for (int e = 0; e < perSecond; e++) {
                    pop[e] = random.nextInt(count);
                    latency[e] = 20 * Math.exp(0.5 * random.nextGaussian()) + (random.nextInt(100) == 0 ? random.nextDouble(2_000) : 0);
                }
                for (int k = 0; k < 200_000; k++) {
                    sink += elsewhere[random.nextInt(elsewhere.length)];
                }
                long start = threads.getCurrentThreadCpuTime();
                for (int e = 0; e < perSecond; e++) {
                    pops.served(pop[e], latency[e]);
                }
                long now = second * 1000;
                for (int t = 0; t < 10; t++) {
                    pops.endTick(now + t * 100, 100);
                }
                pops.rollSecond(second, now + 1000);
                cpu += threads.getCurrentThreadCpuTime() - start;
            }
            perSecondNanos[b] = cpu / 60;
        }
        Arrays.sort(perSecondNanos);
        System.out.printf("%d PoPs, %d events/s: µs of CPU per engine second, batches of 60 s: fastest %.0f, first quartile %.0f, median %.0f%s%n",
                count, perSecond, perSecondNanos[0] / 1e3, perSecondNanos[batches / 4] / 1e3, perSecondNanos[batches / 2] / 1e3,
                sink == 42 ? " " : "");
    }
}
