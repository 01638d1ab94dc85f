package io.edgedeck.bench;

import io.edgedeck.engine.pops.PopSite;
import io.edgedeck.engine.pops.Pops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The per-PoP part of the engine alone, in CPU time (docs/BENCHMARKS.md, "48 PoPs against 12, 6 Dec
 * 2026"): a second's events spread at random over N PoPs ({@link Pops#served}, latencies about 20 ms
 * with a long tail, drawn beforehand), then the second's ten ticks and its roll ({@link Pops#endTick},
 * {@link Pops#rollSecond}). Between seconds it reads 32 MB at random, untimed, as the rest of the engine
 * does to the caches. Prints this thread's CPU time per engine second over batches of 60 seconds: the
 * fastest batch, the first quartile and the median.
 *
 * <p>Given two builds' runnable jars ({@code edgedeck-sim.jar}), it plays the same seconds through each, in
 * a class loader of its own, batch for batch in turn (the first jar first in odd pairs, the second in even
 * ones) in one JVM, after four pairs of warm-up, so a pair's two batches run within about a second of each
 * other whatever the machine does around them; it prints each jar's figures and the median over pairs of the
 * second's CPU over the first's.
 *
 * <pre>java -cp "$BENCH_CP" io.edgedeck.bench.PopSecondsCpu POPS EVENTS_PER_SECOND BATCHES [JAR_A JAR_B]</pre>
 */
public final class PopSecondsCpu implements LongSupplier {
    private static final int WARM_UP_PAIRS = 4;
    private final Pops pops;
    private final int count;
    private final SplittableRandom random = new SplittableRandom(1);
    private final long[] elsewhere = new long[4 << 20];
    private final int[] pop;
    private final double[] latency;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long second;
    private long sink;

    public PopSecondsCpu(int count, int perSecond) {
        this.count = count;
        List<PopSite> sites = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sites.add(PopSite.of("pop-" + i, "region-" + i % 4, 0));
        }
        pops = new Pops(sites, 5_000);
        pop = new int[perSecond];
        latency = new double[perSecond];
    }

    /** Plays one batch of 60 engine seconds; @return this thread's CPU ns per engine second over them */
    @Override
    public long getAsLong() {
        long cpu = 0;
        for (int s = 0; s < 60; s++, second++) {
            for (int e = 0; e < pop.length; e++) {
                pop[e] = random.nextInt(count);
                latency[e] = 20 * Math.exp(0.5 * random.nextGaussian()) + (random.nextInt(100) == 0 ? random.nextDouble(2_000) : 0);
            }
            for (int k = 0; k < 200_000; k++) {
                sink += elsewhere[random.nextInt(elsewhere.length)];
            }
            long start = threads.getCurrentThreadCpuTime();
            for (int e = 0; e < pop.length; e++) {
                pops.served(pop[e], latency[e]);
            }
            long now = second * 1000;
            for (int t = 0; t < 10; t++) {
                pops.endTick(now + t * 100, 100);
            }
            pops.rollSecond(second, now + 1000);
            cpu += threads.getCurrentThreadCpuTime() - start;
        }
        return sink == 42 ? cpu / 60 + 1 : cpu / 60;
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int perSecond = Integer.parseInt(args[1]);
        int batches = Integer.parseInt(args[2]);
        if (args.length < 5) {
            PopSecondsCpu run = new PopSecondsCpu(count, perSecond);
            long[] perSecondNanos = new long[batches];
            for (int b = 0; b < batches; b++) {
                perSecondNanos[b] = run.getAsLong();
            }
            System.out.println(count + " PoPs, " + perSecond + " events/s: µs of CPU per engine second, batches of 60 s: " + figures(perSecondNanos));
            return;
        }
        LongSupplier a = inOwnLoader(Path.of(args[3]), count, perSecond);
        LongSupplier b = inOwnLoader(Path.of(args[4]), count, perSecond);
        for (int k = 0; k < WARM_UP_PAIRS; k++) {
            a.getAsLong();
            b.getAsLong();
        }
        long[] first = new long[batches];
        long[] second = new long[batches];
        double[] ratio = new double[batches];
        for (int k = 0; k < batches; k++) {
            if (k % 2 == 0) {
                first[k] = a.getAsLong();
                second[k] = b.getAsLong();
            } else {
                second[k] = b.getAsLong();
                first[k] = a.getAsLong();
            }
            ratio[k] = second[k] / (double) first[k];
        }
        Arrays.sort(ratio);
        System.out.println(count + " PoPs, " + perSecond + " events/s: µs of CPU per engine second, batches of 60 s, in pairs");
        System.out.println("  " + args[3] + ": " + figures(first));
        System.out.println("  " + args[4] + ": " + figures(second));
        System.out.printf(Locale.ROOT, "  second / first, median of %d pairs: %.3f (quartiles %.3f to %.3f)%n", batches,
                ratio[batches / 2], ratio[batches / 4], ratio[batches - 1 - batches / 4]);
    }

    /** This class and the engine from {@code jar}, loaded apart from the class path's. */
    private static LongSupplier inOwnLoader(Path jar, int count, int perSecond) throws Exception {
        URL self = PopSecondsCpu.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader loader = new URLClassLoader(new URL[] {self, jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        return (LongSupplier) loader.loadClass(PopSecondsCpu.class.getName()).getConstructor(int.class, int.class)
                .newInstance(count, perSecond);
    }

    private static String figures(long[] perSecondNanos) {
        long[] sorted = perSecondNanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "fastest %.0f, first quartile %.0f, median %.0f", sorted[0] / 1e3,
                sorted[sorted.length / 4] / 1e3, sorted[sorted.length / 2] / 1e3);
    }
}
