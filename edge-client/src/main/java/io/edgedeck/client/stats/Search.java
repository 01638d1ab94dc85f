package io.edgedeck.client.stats;

import java.util.function.DoublePredicate;

/** Where an interval ends: the boundary of an accepted region, found by doubling then bisection. */
final class Search {
    private Search() {
    }

    /**
     * Where the accepted region ends walking from {@code start} (accepted) in {@code direction}: a
     * value just outside it, within {@code tolerance} (times the value, when that is above 1), so an
     * interval built from it errs wide; infinite if nothing within a million is rejected.
     */
    static double edge(DoublePredicate accepted, double start, int direction, double tolerance) {
        double step = Math.max(Math.abs(start) * 0.01, 0.01);
        double inside = start;
        double outside = Double.NaN;
        while (step <= 1e6) {
            double probe = start + direction * step;
            if (!accepted.test(probe)) {
                outside = probe;
                break;
            }
            inside = probe;
            step *= 2;
        }
        if (Double.isNaN(outside)) {
            return direction * Double.POSITIVE_INFINITY;
        }
        while (Math.abs(outside - inside) > tolerance * Math.max(1, Math.abs(inside))) {
            double mid = (inside + outside) / 2;
            if (accepted.test(mid)) {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        return outside;
    }
}
