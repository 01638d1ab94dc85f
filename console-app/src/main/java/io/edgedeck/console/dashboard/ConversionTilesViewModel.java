package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.client.stats.Estimate;
import io.edgedeck.client.stats.RateRatio;
import io.edgedeck.console.common.Status;
import io.edgedeck.console.common.Together;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The conversion tiles, one per flag variant: its rate, its lift against the same flag's control
 * (coloured only once an anytime-valid interval leaves no difference), and, until the operator
 * acknowledges it, what changed the variant at the edge. A variant with no new exposure for
 * {@link #QUIET_AFTER_MILLIS} of engine time (a thin arm: a few of its own gaps between exposures) is grey and says
 * for how long: in the show's seconds, and so where the show runs faster or slower than the wall clock (a rehearsal
 * at 20x, a node replaying a show) it says "of show time", never to be read against the wall-clock seconds of the
 * Sources line. FX thread; knows nothing of nodes.
 */
public final class ConversionTilesViewModel {
    /**
     * Each end of the lift's interval holds with probability at least 1 - this, at every moment at
     * once (an anytime-valid bound: watching the tile does not inflate it).
     */
    static final double LIFT_ALPHA = 0.05;
    /**
     * A variant with no new exposure for this long of engine time is grey and says for how long: its rate and lift
     * are counts since the show started, right but not live. The PoP tiles' rule: a node calls a PoP that observed
     * nothing for 10 s "no data", and its tile turns grey. A thin arm is given longer: {@link #QUIET_GAPS} of its own
     * gaps between exposures, up to {@link #QUIET_AT_MOST_MILLIS}.
     */
    static final long QUIET_AFTER_MILLIS = 10_000;
    /** A thin arm is quiet after this many of its usual gaps between exposures with none. */
    static final int QUIET_GAPS = 3;
    /** However thin the arm, with no exposure for this long it is grey. */
    static final long QUIET_AT_MOST_MILLIS = 120_000;
    /** How much each new gap between exposures moves an arm's usual gap. */
    private static final double GAP_WEIGHT = 0.3;

    private final EdgeActionsViewModel actions;
    private final ObservableList<VariantTile> tiles = FXCollections.observableArrayList();
    private final ObservableList<VariantTile> readOnlyTiles = FXCollections.unmodifiableObservableList(tiles);
    private final Map<String, VariantTile> byKey = new HashMap<>();
    /**
     * Per variant: its exposures as last seen, the engine time they last grew (or were first seen), and its usual
     * gap between growths in ms (0 until it grew twice).
     */
    private final Map<String, long[]> lastGrew = new HashMap<>();

    /** @param actions what changed variants at the edge; the tiles say so until acknowledged */
    ConversionTilesViewModel(EdgeActionsViewModel actions) {
        this.actions = actions;
    }

    /** One tile per variant, in the order the variants first appeared. */
    public ObservableList<VariantTile> tiles() {
        return readOnlyTiles;
    }

    /** The tile of a flag's variant, or null before a frame named it. */
    public VariantTile tile(String flag, String variant) {
        return byKey.get(flag + "/" + variant);
    }

    /** The operator has seen what happened to the variant: its tile shows its numbers again. FX thread. */
    public void acknowledge(VariantTile tile) {
        actions.acknowledge(tile.flag(), tile.variant());
    }

    /** @param speed engine seconds per wall second: at any but 1 the tiles' seconds say they are the show's */
    void apply(List<VariantMetrics> metrics, long engineMillis, double speed) {
        Map<String, VariantMetrics> controls = new HashMap<>();
        for (VariantMetrics v : metrics) {
            if (v.control()) {
                controls.put(v.flag(), v);
            }
        }
        List<VariantTile> named = new ArrayList<>();
        for (VariantMetrics v : metrics) {
            VariantTile tile = byKey.get(v.flag() + "/" + v.variant());
            if (tile == null) {
                tile = new VariantTile(v.flag(), v.variant());
                byKey.put(tile.key(), tile);
                named.add(tile);
            }
            // Conversions per 100 exposures, the rate the lift and the guardrails' conversionLift compare. A
            // rate of nobody is not 0: no number until the variant's first exposure.
            tile.ratePercent.set(v.exposures() == 0 ? Double.NaN : v.conversionRate() * 100);
            tile.detail.set(detail(v));
            tile.moved.set(moved(v, "moved in by a flag change: %,d (%,d converted)"));
            tile.movedShort.set(moved(v, "moved in: %,d (%,d conv.)"));
            tile.movedShortest.set(moved(v, "moved in: %,d"));
            showLift(tile, v, controls.get(v.flag()));
            showQuiet(tile, v, engineMillis, speed);
        }
        // The variants a frame names first join the list in one change, with their numbers: the
        // dashboard builds their tiles once, not once for each variant added.
        if (!named.isEmpty()) {
            tiles.addAll(named);
        }
    }

    /**
     * The counts the rate is made of. Conversions are events, not people: a unit that buys twice counts
     * twice (a live node takes every {@code conversion} it is sent), so they are never called "N of M
     * converted", which would read over 100% of the units.
     */
    static String detail(VariantMetrics v) {
        // The chat figure kept with its words ("+32%" alone on a line reads as nothing); the counts may wrap, so a
        // narrow tile's footer keeps to two lines and leaves the tile's subtitle its room.
        String counts = String.format(Locale.ROOT, "%,d conversion%s · %,d exposure%s", v.conversions(),
                v.conversions() == 1 ? "" : "s", v.exposures(), v.exposures() == 1 ? "" : "s");
        return v.chat().messagesPerMinute() > 0
                ? counts + " · " + Together.words(String.format(Locale.ROOT, "chat net %+.0f%%", v.chat().netSentiment()))
                : counts;
    }

    /** Sessions a rollback moved here are their own cohort: shown apart, never in the rate. */
    private static String moved(VariantMetrics v, String wording) {
        return v.movedIn() == 0 ? "" : String.format(Locale.ROOT, wording, v.movedIn(), v.movedConversions());
    }

    private static void showLift(VariantTile tile, VariantMetrics v, VariantMetrics control) {
        if (v.control()) {
            // 0.00% of nobody is not a rate: grey until the first exposure.
            tile.lift.set(v.exposures() == 0 ? "control (baseline) · no exposures yet" : "control (baseline)");
            tile.status.set(v.exposures() == 0 ? Status.STALE : Status.OK);
        } else if (control == null || control.exposures() == 0 || control.conversionRate() == 0 || v.exposures() == 0) {
            tile.lift.set("lift: not enough data yet");
            tile.status.set(Status.STALE);
        } else {
            double lift = lift(v.conversionRate(), control.conversionRate());
            // Coloured only when the guardrails' own interval on the ratio of rates excludes "no
            // difference"; until then the number is shown neutral with how much data there is.
            Estimate ratio = RateRatio.of(v.conversions(), control.conversions(), v.exposures(), control.exposures(),
                    LIFT_ALPHA);
            boolean worse = ratio.upper() < 1;
            boolean better = ratio.lower() > 1;
            if (worse || better) {
                tile.lift.set(String.format(Locale.ROOT, "lift %+.1f%% vs control", lift * 100));
                tile.status.set(better ? Status.OK : lift < -0.05 ? Status.BAD : Status.WARN);
            } else {
                // "(n = 4,317)" held together: a narrow tile wrapped it after "(n".
                tile.lift.set(String.format(Locale.ROOT, "lift %+.1f%% · not clear yet (n\u00a0=\u00a0%,d)", lift * 100,
                        Math.min(v.exposures(), control.exposures())));
                tile.status.set(Status.NEUTRAL);
            }
        }
    }

    /**
     * Greys a variant that took no new exposure for its quiet time ({@link #quietAfterMillis}), its lift line saying
     * for how long. Its rate and lift stay: they are what the show's counts say, not a measurement of now. The
     * seconds are the show's: where it runs at another pace than the wall clock's they say so. Counted from the
     * variant's newest exposure where the edge says when it was, so a console that joins after the traffic stopped
     * says how long it has truly been quiet; from when this console last saw its exposures grow where the edge does
     * not say.
     */
    private void showQuiet(VariantTile tile, VariantMetrics v, long engineMillis, double speed) {
        long[] seen = lastGrew.get(tile.key());
        if (seen == null || engineMillis < seen[1]) {
            // First seen, or the show started again: no growth seen yet, so no gap of its own.
            seen = new long[] {v.exposures(), engineMillis, 0, 0};
            lastGrew.put(tile.key(), seen);
        } else if (v.exposures() > seen[0]) {
            if (seen[3] == 1) {
                long gap = engineMillis - seen[1];
                seen[2] = seen[2] == 0 ? gap : Math.round(GAP_WEIGHT * gap + (1 - GAP_WEIGHT) * seen[2]);
            }
            seen[0] = v.exposures();
            seen[1] = engineMillis;
            seen[3] = 1;
        }
        long silentMillis = Math.max(0, engineMillis - (v.lastExposureMillis() != null ? v.lastExposureMillis() : seen[1]));
        tile.quiet = v.exposures() > 0 && silentMillis > quietAfterMillis(seen[2], v.exposures(), engineMillis);
        if (tile.quiet) {
            tile.lift.set("no exposures for " + silentMillis / 1000 + (speed == 1 ? " s · " : " s of show time · ") + tile.lift.get());
            tile.status.set(Status.STALE);
        }
    }

    /**
     * How long a variant may take no new exposure and still read live: {@link #QUIET_AFTER_MILLIS}, or for a thin arm
     * {@link #QUIET_GAPS} of its usual gaps between exposures (as seen here, or before that the show's average:
     * its engine time over its exposures), at most {@link #QUIET_AT_MOST_MILLIS}. So an arm that takes an exposure
     * every 15 s does not flicker grey between them, and one that stops turns grey within a few of its gaps.
     */
    static long quietAfterMillis(long usualGapMillis, long exposures, long engineMillis) {
        long gap = usualGapMillis > 0 ? usualGapMillis : exposures > 0 ? engineMillis / exposures : 0;
        return Math.max(QUIET_AFTER_MILLIS, Math.min(QUIET_AT_MOST_MILLIS, QUIET_GAPS * gap));
    }

    /** Relative lift of a variant's conversion rate over control's. */
    static double lift(double variantRate, double controlRate) {
        return (variantRate - controlRate) / controlRate;
    }

    /** Puts each variant's unacknowledged edge action, if any, on its tile. */
    void showActions() {
        for (VariantTile v : tiles) {
            var a = actions.unacknowledged(v.flag(), v.variant());
            v.actionKind = a.map(EdgeActionsViewModel.EdgeAction::kind).orElse(null);
            v.action.set(a.map(EdgeActionsViewModel.EdgeAction::sentence).orElse(""));
        }
    }

    void markStale() {
        for (VariantTile v : tiles) {
            v.status.set(Status.STALE);
            v.quiet = false;
        }
    }

    void reset() {
        tiles.clear();
        byKey.clear();
        lastGrew.clear();
    }
}
