package io.edgedeck.console.common;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShowClockTest {
    private static MetricsFrame frame(long engineMillis, double speed, int durationSeconds) {
        return new MetricsFrame(1, engineMillis, "friday-drop", 0, ShowState.RUNNING, speed, durationSeconds, List.of(),
                List.of(), new CheckoutCounts(0, 0, 0, 0, 0, 0), new EventCounts(0, 0, 0), null, null, null, null, null, null);
    }

    @Test
    void onALiveNodeAnEngineMomentIsShownOnTheWallClock() {
        long[] wall = {1_796_000_000_000L};
        ShowClock clock = new ShowClock(() -> wall[0]);
        assertEquals("05:00", clock.format(300_000), "the engine's clock before any frame");
        // the frame of engine time 10:00 arrived 200 ms ago
        clock.onTick(frame(600_000, 1, 0), true, 200);
        assertTrue(clock.wallClock());
        assertEquals(WallClock.format(wall[0] - 200 - 300_000), clock.format(300_000), "five minutes before that frame");
        assertEquals(wall[0] - 200, clock.lastFrameWallMillis());
        // a later frame a few hundred ms off does not move the clock, so times do not flicker
        wall[0] += 1_000;
        clock.onTick(frame(600_700, 1, 0), true, 0);
        assertEquals(WallClock.format(wall[0] - 1_000 - 200 - 300_000), clock.format(300_000));
    }

    @Test
    void aRehearsalOrAFasterReplayKeepsTheShowsOwnClock() {
        ShowClock clock = new ShowClock(() -> 1_796_000_000_000L);
        clock.onTick(frame(600_000, 1, 900), true, 0);
        assertFalse(clock.wallClock());
        assertEquals("05:00", clock.format(300_000));
        clock.onTick(frame(600_000, 20, 0), true, 0);
        assertFalse(clock.wallClock(), "a node replaying at 20x is not on the wall clock");
        assertEquals("05:00", clock.format(300_000));
    }
}
