package io.edgedeck.client.analysis;

import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.ShowEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitterOnsetTest {

    /** A history whose only content is a jitter series, one row per second from {@code start}. */
    static PopHistory jitter(long start, double... ms) {
        int n = ms.length;
        long[] seconds = new long[n];
        for (int i = 0; i < n; i++) {
            seconds[i] = start + i;
        }
        return new PopHistory("fra", 1, HeatmapBuckets.edgesMs(), seconds, new long[n], new long[n], new double[n],
                new double[n], new double[n], new double[n], new double[n], ms, new long[n * HeatmapBuckets.COUNT]);
    }

    private static double[] series(int calm, double calmMs, double... then) {
        double[] out = new double[calm + then.length];
        java.util.Arrays.fill(out, 0, calm, calmMs);
        System.arraycopy(then, 0, out, calm, then.length);
        return out;
    }

    @Test
    void theFirstSustainedCrossingIsTheOnset() {
        PopHistory h = jitter(200, series(40, 4, 9, 16, 30, 15, 40));
        assertEquals(Optional.of(new JitterOnset(241, 16)), JitterOnset.first(h, 15, 3));
    }

    @Test
    void aLoneSecondOverTheLineIsNotAnOnset() {
        PopHistory h = jitter(0, series(40, 4, 28, 5, 5, 17, 18, 3, 20, 21, 22, 23));
        assertEquals(46, JitterOnset.first(h, 15, 3).orElseThrow().second());
    }

    @Test
    void aPopThatFlapsKeepsTheTimeItFirstWentBad() {
        // Bad from 100, calm for 10 s, bad again: the onset stays at 100.
        double[] s = series(40, 3, 20, 20, 20, 20, 20);
        s = java.util.Arrays.copyOf(s, 60);
        java.util.Arrays.fill(s, 45, 55, 3);
        java.util.Arrays.fill(s, 55, 60, 25);
        PopHistory h = jitter(60, s);
        assertEquals(100, JitterOnset.first(h, 15, 3).orElseThrow().second());
    }

    @Test
    void aShowThatStartsBadReportsItsFirstSecond() {
        PopHistory h = jitter(0, 18, 19, 20, 2);
        assertEquals(0, JitterOnset.first(h, 15, 3).orElseThrow().second());
    }

    @Test
    void neverOverTheThresholdHasNoOnset() {
        assertTrue(JitterOnset.first(jitter(0, series(100, 14.9)), 15, 3).isEmpty());
    }

    @Test
    void oneMinuteRowOverTheLineIsSustained() {
        PopHistory h = new PopHistory("fra", 60, HeatmapBuckets.edgesMs(), new long[] {0, 60, 120}, new long[3], new long[3],
                new double[3], new double[3], new double[3], new double[3], new double[3], new double[] {3, 3, 40},
                new long[3 * HeatmapBuckets.COUNT]);
        assertEquals(120, JitterOnset.first(h, 15, 3).orElseThrow().second());
    }

    @Test
    void whatChangedPrefersTheSamePopAndIgnoresLaterAndAncientEvents() {
        List<ShowEvent> events = List.of(
                new ShowEvent(1_000, "fault", "ancient outage at fra", "fra", null, "cue"),
                new ShowEvent(230_000, "fault", "loss 1.0% at sin", "sin", null, "cue"),
                new ShowEvent(236_000, "flag", "flag.change checkout-button", null, "checkout-button", "ana"),
                new ShowEvent(240_000, "fault", "jitter storm +45 ms at fra for 180 s", "fra", null, "cue"),
                new ShowEvent(250_000, "fault", "outage at fra", "fra", null, "cue"));
        List<ShowEvent> changed = WhatChanged.before(events, "fra", 241);
        assertEquals(List.of(events.get(3), events.get(2), events.get(0)), changed, "same PoP or no PoP before other PoPs");
        assertEquals("4:00  jitter storm +45 ms at fra for 180 s (cue)", WhatChanged.describe(changed.getFirst()));
        assertTrue(WhatChanged.before(events, "fra", 900).isEmpty(), "events over 5 min before are not offered as causes");
    }

    /**
     * A live node's start-up configuration (its tenants, guardrails, flags, audited as {@code config}) is not
     * a change just before an episode: it is left out, and an operator's change at the same moment is not.
     */
    @Test
    void whatTheNodeConfigSetUpAtStartIsNotOfferedAsACause() {
        List<ShowEvent> events = List.of(
                new ShowEvent(0, "flag", "flag.create checkout-button: v1", null, "checkout-button", "config"),
                new ShowEvent(0, "flag", "tenants.set tenants: main", null, "tenants", "config"),
                new ShowEvent(30_000, "flag", "flag.change checkout-button", null, "checkout-button", "ana"));
        assertEquals(List.of(events.get(2)), WhatChanged.before(events, "fra", 120));
        assertTrue(WhatChanged.before(events.subList(0, 2), "fra", 120).isEmpty());
    }

    @Test
    void anEventAtTheStartOfTheNextSecondIsNotBeforeTheOnset() {
        List<ShowEvent> events = List.of(
                new ShowEvent(3_017_000, "fault", "jitter storm +45 ms at iad for 60 s", "iad", null, "cue"),
                new ShowEvent(3_017_999, "flag", "flag.change checkout-button", null, "checkout-button", "ana"),
                new ShowEvent(3_018_000, "guardrail", "guardrail.rollback checkout-redesign", null, "checkout-redesign",
                        "guardrail:conversion-guard"));
        assertEquals(List.of(events.get(1), events.get(0)), WhatChanged.before(events, "iad", 3017),
                "events within the onset's second count; one at the first millisecond of the next does not");
    }
}
