package io.edgedeck.console.common;

import io.edgedeck.client.model.CheckoutCounts;
import io.edgedeck.client.model.EventCounts;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.ShowState;

import java.util.List;

/** Show clocks as a console on a live node has them, for view-model tests. */
public final class LiveClocks {
    /** The wall clock, epoch ms, at which the node's engine started in {@link #live()}. */
    public static final long STARTED_AT = 1_796_000_000_000L;

    private LiveClocks() {
    }

    /** A clock placed by a live node's frame: engine time 0 is {@link #STARTED_AT} on the wall clock. */
    public static ShowClock live() {
        ShowClock clock = new ShowClock(() -> STARTED_AT + 600_000);
        clock.onTick(frame(600_000, 1, 0), true, 0);
        return clock;
    }

    /** A clock placed by a rehearsal's frame: it keeps the show's time. */
    public static ShowClock rehearsal() {
        ShowClock clock = new ShowClock(() -> STARTED_AT);
        clock.onTick(frame(600_000, 1, 900), true, 0);
        return clock;
    }

    /** What {@link #live()} shows for {@code engineMillis}. */
    public static String wall(long engineMillis) {
        return WallClock.format(STARTED_AT + engineMillis);
    }

    /** A frame of a show at {@code engineMillis}, played at {@code speed}, {@code durationSeconds} long (0: a live node's). */
    public static MetricsFrame frame(long engineMillis, double speed, int durationSeconds) {
        return new MetricsFrame(1, engineMillis, "friday-drop", 0, ShowState.RUNNING, speed, durationSeconds, List.of(),
                List.of(), new CheckoutCounts(0, 0, 0, 0, 0, 0), new EventCounts(0, 0, 0), null, null, null, null, null, null);
    }
}
