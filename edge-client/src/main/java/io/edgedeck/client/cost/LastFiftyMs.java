package io.edgedeck.client.cost;

import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopValue;
import io.edgedeck.client.stats.Estimate;
import io.edgedeck.client.stats.RateRatio;

import java.util.List;
import java.util.Locale;

/**
 * "What the last 50 ms of p95 bought" (docs/COST.md): conversions per request in the PoPs' seconds
 * whose 10 s p95 was under their normal + 50 ms (the fast band) against the seconds at or over it
 * (the slow band), pooled over every PoP, from the counts each PoP's node sends
 * ({@link PopValue}). A comparison of the seconds as they came, not an experiment: see the limits
 * in docs/COST.md.
 *
 * @param fastRequests    requests in fast seconds, all PoPs
 * @param fastConversions conversions counted in them
 * @param slowRequests    requests in slow seconds
 * @param slowConversions conversions counted in them
 * @param ratio           the slow band's conversions per request over the fast band's, with its 95%
 *                        anytime-valid interval ({@link RateRatio}); null while either band has no
 *                        requests or there is no conversion at all
 */
public record LastFiftyMs(long fastRequests, long fastConversions, long slowRequests, long slowConversions, Estimate ratio) {
    /** Each end of the ratio's interval holds with this level. */
    public static final double LEVEL = 0.95;

    /** The bands of every PoP pooled. */
    public static LastFiftyMs of(List<PopMetrics> pops) {
        long fr = 0;
        long fc = 0;
        long sr = 0;
        long sc = 0;
        for (PopMetrics p : pops) {
            PopValue v = p.value();
            fr += v.fastRequests();
            fc += v.fastConversions();
            sr += v.slowRequests();
            sc += v.slowConversions();
        }
        Estimate ratio = fr == 0 || sr == 0 || fc + sc == 0 ? null : RateRatio.of(sc, fc, sr, fr, 1 - LEVEL);
        return new LastFiftyMs(fr, fc, sr, sc, ratio);
    }

    /** Conversions per 1,000 requests in fast seconds; NaN with none. */
    public double fastPerThousand() {
        return fastRequests == 0 ? Double.NaN : 1000.0 * fastConversions / fastRequests;
    }

    /** Conversions per 1,000 requests in slow seconds; NaN with none. */
    public double slowPerThousand() {
        return slowRequests == 0 ? Double.NaN : 1000.0 * slowConversions / slowRequests;
    }

    /** In words, e.g. "fast 1.23 vs slow 0.98 conversions per 1,000 requests: x0.80 (0.61 to 1.04)". */
    public String text() {
        if (fastRequests == 0 && slowRequests == 0) {
            return "no second judged yet (each PoP learns its normal first)";
        }
        if (slowRequests == 0) {
            return String.format(Locale.ROOT, "no slow second yet (%,d requests, all within 50 ms of normal)", fastRequests);
        }
        if (fastRequests == 0) {
            return String.format(Locale.ROOT, "no fast second yet (%,d requests, all 50 ms or more over normal)", slowRequests);
        }
        String rates = String.format(Locale.ROOT, "fast %.2f vs slow %.2f conversions per 1,000 requests",
                fastPerThousand(), slowPerThousand());
        if (ratio == null) {
            return rates;
        }
        String upper = Double.isInfinite(ratio.upper()) ? "unbounded" : String.format(Locale.ROOT, "%.2f", ratio.upper());
        return rates + String.format(Locale.ROOT, ": slow x%.2f (%.2f to %s)", ratio.value(), ratio.lower(), upper);
    }
}
