package io.edgedeck.simulator.sweep;

import java.util.List;
import java.util.Locale;

/** Nearest-rank quantiles of a handful of times, and durations in words. */
final class Quantiles {
    private Quantiles() {
    }

    /** The nearest-rank q-quantile (the smallest value with at least q of the values at or below it); null for none. */
    static Double of(List<Double> values, double q) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** "45 s", "4 min 10 s". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (Math.abs(s) < 120) {
            return s + " s";
        }
        return String.format(Locale.ROOT, "%s%d min %02d s", s < 0 ? "-" : "", Math.abs(s) / 60, Math.abs(s) % 60);
    }
}
