package io.edgedeck.simulator.edge;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded random streams, one per purpose. Each purpose (traffic, latency of PoP fra, chat...) gets
 * its own stream derived from the show's seed and the purpose's name, so adding a draw in one
 * place never shifts the numbers another place sees: the same seed gives the same show even as
 * the simulation grows.
 */
public final class Rng {
    private Rng() {
    }

    public static SplittableRandom forPurpose(long seed, String purpose) {
        return new SplittableRandom(mix64(seed ^ mix64(fnv1a64(purpose))));
    }

    /**
     * A standard normal draw: the JDK's ziggurat-based generator, deterministic for a given stream
     * and several times cheaper than the polar method's logarithm and square root on every call.
     */
    public static double gaussian(SplittableRandom r) {
        return r.nextGaussian();
    }

    /**
     * A Poisson-distributed count with the given mean: exact (Knuth) for small means, the normal
     * approximation above 30, where its error is far below the noise a show has anyway.
     */
    public static long poisson(SplittableRandom r, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            long n = Math.round(mean + Math.sqrt(mean) * gaussian(r));
            return Math.max(0, n);
        }
        double limit = Math.exp(-mean);
        double p = r.nextDouble();
        long k = 0;
        while (p > limit) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The SplitMix64 finaliser: spreads nearby seeds far apart. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
