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
    void aLateFirstFrameDoesNotShiftTheTimesOnceAPromptOneArrives() {
        long[] wall = {1_796_000_000_000L};
        ShowClock clock = new ShowClock(() -> wall[0]);
        // the first frame, of engine time 10:00, was held up 1.8 s on its way
        clock.onTick(frame(600_000, 1, 0), true, 0);
        long made = wall[0] - 1_800;
        // the next ones arrive 50 ms after the node made them
        for (int i = 1; i <= 4; i++) {
            wall[0] = made + i * 250L + 50;
            clock.onTick(frame(600_000 + i * 250L, 1, 0), true, 0);
        }
        assertEquals(WallClock.format(made + 50 - 300_000), clock.format(300_000), "placed by the least delayed frame");
        // a frame late again by a second does not move it
        wall[0] = made + 5 * 250L + 1_000;
        clock.onTick(frame(600_000 + 5 * 250L, 1, 0), true, 0);
        assertEquals(WallClock.format(made + 50 - 300_000), clock.format(300_000));
    }

    @Test
    void anEngineClockThatMovedAgainstTheWallIsFollowedOnceEveryFrameSaysSo() {
        long[] wall = {1_796_000_000_000L};
        ShowClock clock = new ShowClock(() -> wall[0]);
        clock.onTick(frame(600_000, 1, 0), true, 0);
        long before = wall[0] - 600_000;
        // the node was down for a minute and its engine resumed where its journal left it: 60 s behind the wall
        long engine = 600_250;
        for (long t = 0; t < ShowClock.SHIFT_MILLIS; t += 250) {
            wall[0] += 250;
            if (t == 0) {
                wall[0] += 60_000;
            }
            clock.onTick(frame(engine, 1, 0), true, 0);
            engine += 250;
            assertEquals(WallClock.format(before + 300_000), clock.format(300_000), "a few late frames are only late");
        }
        wall[0] += 250;
        clock.onTick(frame(engine, 1, 0), true, 0);
        assertEquals(WallClock.format(before + 60_000 + 300_000), clock.format(300_000), "then the clock follows the engine");
        // a node that started its show again (engine time behind the last frame's) is followed at once
        wall[0] += 250;
        clock.onTick(frame(1_000, 1, 0), true, 0);
        assertEquals(WallClock.format(wall[0] - 1_000 + 300_000), clock.format(300_000));
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

    /**
     * A live node's engine started at some odd second of the wall clock: an axis of its times marks round times of
     * the wall clock, each at the engine moment that reads so, never the engine's own minutes under wall-clock words.
     */
    @Test
    void aLiveAxisMarksRoundWallClockTimesWhereTheyFall() {
        long[] wall = {1_796_000_017_300L};
        ShowClock clock = new ShowClock(() -> wall[0]);
        clock.onTick(frame(600_000, 1, 0), true, 0);
        long started = wall[0] - 600_000;
        List<ShowClock.Tick> ticks = clock.ticks(0, 600_000, 60_000);
        assertEquals(10, ticks.size(), ticks.toString());
        for (ShowClock.Tick t : ticks) {
            long at = started + t.engineMillis();
            assertEquals(0, (at + java.util.TimeZone.getDefault().getOffset(at)) % 60_000, t + " is on a whole minute");
            assertTrue(clock.format(t.engineMillis()).startsWith(t.label() + ":00 "), t + " reads " + clock.format(t.engineMillis()));
        }
        assertTrue(clock.clockName().startsWith("wall clock, "), clock.clockName());
        assertEquals(clock.format(ticks.getFirst().engineMillis()).substring(9), clock.clockName().substring(12),
                "the axis names the zone its marks are in");
        // ten seconds apart, the marks carry their seconds
        ShowClock.Tick fine = clock.ticks(0, 30_000, 10_000).getFirst();
        assertEquals(clock.format(fine.engineMillis()), fine.label() + " " + clock.clockName().substring(12));
    }

    @Test
    void aRehearsalsAxisMarksRoundTimesOfTheShow() {
        ShowClock clock = new ShowClock(() -> 1_796_000_017_300L);
        clock.onTick(frame(600_000, 20, 900), true, 0);
        assertEquals("show time", clock.clockName());
        assertEquals(List.of(new ShowClock.Tick(300_000, "05:00"), new ShowClock.Tick(600_000, "10:00")),
                clock.ticks(250_000, 600_000, 300_000));
    }

    /**
     * Berlin's clocks go back an hour at 03:00 CEST on 25 October 2026: 02:30 is read twice. Under a title naming the
     * zone as of now (CET), a time from before the change carries its own zone, one after it none.
     */
    @Test
    void aTimeFromBeforeAChangeOfSummerTimeCarriesItsOwnZone() {
        // 02:30 CET, half an hour after the change; the frame of engine time 2:00:00 arrived just now
        long[] wall = {1_792_891_800_000L};
        ShowClock clock = new ShowClock(() -> wall[0], java.time.ZoneId.of("Europe/Berlin"));
        clock.onTick(frame(7_200_000, 1, 0), true, 0);
        assertEquals("wall clock, GMT+01:00", clock.clockName());
        assertEquals("02:30:00 GMT+02:00", clock.formatBare(3_600_000), "an hour before now, before the change");
        assertEquals("02:26:40", clock.formatBare(7_000_000), "after the change: the title's zone");
        assertEquals("02:30:00", clock.formatBare(7_200_000));
        assertEquals("02:30:00 GMT+02:00", clock.format(3_600_000));
        assertEquals("02:30:00 GMT+01:00", clock.format(7_200_000));
    }

    /**
     * An axis across Berlin's October change, under a title naming the zone as of now (CET): its marks before the change
     * carry their own zone, the hour read twice told apart; those after it are bare, as the title names their zone.
     */
    @Test
    void anAxisMarkFromBeforeAChangeOfSummerTimeCarriesItsOwnZone() {
        // 02:30 CET, half an hour after the change; the frame of engine time 2:00:00 arrived just now
        long[] wall = {1_792_891_800_000L};
        ShowClock clock = new ShowClock(() -> wall[0], java.time.ZoneId.of("Europe/Berlin"));
        clock.onTick(frame(7_200_000, 1, 0), true, 0);
        // engine 1:00:00 is 02:30 CEST; the change (03:00 CEST = 02:00 CET) at engine 1:30:00
        List<ShowClock.Tick> ticks = clock.ticks(3_600_000, 7_200_000, 900_000);
        assertEquals(List.of("02:30 GMT+02:00", "02:45 GMT+02:00", "02:00", "02:15", "02:30"),
                ticks.stream().map(ShowClock.Tick::label).toList());
        assertEquals(List.of(3_600_000L, 4_500_000L, 5_400_000L, 6_300_000L, 7_200_000L),
                ticks.stream().map(ShowClock.Tick::engineMillis).toList(), "each mark at the time it names");
        // ten seconds apart, the marks carry their seconds and, before the change, their zone
        assertEquals("02:59:50 GMT+02:00", clock.ticks(5_390_000, 5_400_000, 10_000).getFirst().label());
        assertEquals("02:00:00", clock.ticks(5_400_000, 5_400_000, 10_000).getFirst().label());
        // a rehearsal's axis is on the show's clock, which has no summer time
        ShowClock rehearsal = new ShowClock(() -> wall[0], java.time.ZoneId.of("Europe/Berlin"));
        rehearsal.onTick(frame(7_200_000, 20, 9_000), true, 0);
        assertEquals("60:00", rehearsal.ticks(3_600_000, 3_600_000, 900_000).getFirst().label());
    }
}
