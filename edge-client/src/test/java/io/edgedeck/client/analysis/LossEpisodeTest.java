package io.edgedeck.client.analysis;

import io.edgedeck.client.model.PopHistory;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossEpisodeTest {

    /** One row per second from 0: {@code served[i]} requests served and {@code lost[i]} lost. */
    static PopHistory loss(long[] served, long[] lost) {
        int n = served.length;
        long[] seconds = new long[n];
        Arrays.setAll(seconds, i -> i);
        double[] jitter = new double[n];
        Arrays.fill(jitter, 4);
        return new PopHistory("sin", 1, HeatmapBuckets.edgesMs(), seconds, served, lost, new double[n], new double[n],
                new double[n], new double[n], new double[n], jitter, new long[n * HeatmapBuckets.COUNT]);
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void aLastingLossIsAnEpisodeWithItsShareStartAndEnd() {
        long[] served = filled(100, 70);
        long[] lost = new long[100];
        Arrays.fill(lost, 40, 70, 30);
        lost[55] = 1; // a noisy second under the line inside the loss does not end it
        served[55] = 99;
        LossEpisode e = LossEpisode.first(loss(served, lost)).orElseThrow();
        assertEquals(40, e.second());
        assertEquals(70, e.untilSecond());
        assertEquals(29 * 30 + 1, e.lost());
        assertEquals(29 * 70 + 99, e.requests());
        assertEquals(0.29, e.share(), 0.01);
        assertEquals("29.0%", LossEpisode.percent(e.share()));
    }

    @Test
    void aLossStillGoingAtTheEndHasNoEnd() {
        long[] lost = new long[20];
        Arrays.fill(lost, 10, 20, 10);
        assertEquals(-1, LossEpisode.first(loss(filled(20, 50), lost)).orElseThrow().untilSecond());
    }

    @Test
    void aHealthyPopsStrayLossesAreNoEpisode() {
        // One lost request in a quiet second is 50% of it: a stray, not an episode.
        long[] lost = new long[60];
        for (int i = 0; i < 60; i++) {
            lost[i] = i % 2;
        }
        assertEquals(Optional.empty(), LossEpisode.first(loss(filled(60, 1), lost)));
        // Two lost of 1000 a second, for a minute: 0.2%, under the line.
        assertTrue(LossEpisode.first(loss(filled(60, 1000), filled(60, 2))).isEmpty());
    }

    @Test
    void loneLossySecondsAreNoEpisode() {
        long[] lost = new long[30];
        lost[5] = 20;
        lost[6] = 20;
        lost[10] = 20;
        assertTrue(LossEpisode.first(loss(filled(30, 50), lost)).isEmpty());
    }

    @Test
    void sharesReadAsAPersonWouldSayThem() {
        assertEquals("–", LossEpisode.percent(LossEpisode.share(0, 0)));
        assertEquals("0.0%", LossEpisode.percent(LossEpisode.share(10, 0)));
        assertEquals("<0.1%", LossEpisode.percent(LossEpisode.share(9999, 1)));
        assertEquals("100.0%", LossEpisode.percent(LossEpisode.share(0, 3)));
    }
}
