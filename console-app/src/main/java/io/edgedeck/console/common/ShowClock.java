package io.edgedeck.console.common;

import io.edgedeck.client.model.MetricsFrame;

import java.util.function.LongSupplier;

/**
 * The times a person reads beside what happened: on a live node the wall clock (local, the zone named),
 * to match against the node's logs and the audit trail; in a rehearsal or a bundle the engine's own clock,
 * which is the show's. A live node's engine runs at the wall clock's pace from its start, so a moment of
 * engine time is placed on the wall clock by the newest frame: engine time then, against when it arrived.
 * Fed by the frame ticker on the FX thread; read there.
 */
public final class ShowClock implements FrameTicker.Sink {
    /** Frames arrive late by a network hop and a tick: the offset is kept until it moves more than this. */
    private static final long DRIFT_MILLIS = 2_000;

    private final LongSupplier wallClock;
    private boolean live;
    /** Wall-clock millis minus engine millis, while {@link #live}. */
    private long offsetMillis;
    private boolean known;
    /** Wall-clock time the newest frame arrived; 0 before any. */
    private long lastFrameWallMillis;

    public ShowClock() {
        this(System::currentTimeMillis);
    }

    /** @param wallClock milliseconds since the epoch; tests pass their own */
    public ShowClock(LongSupplier wallClock) {
        this.wallClock = wallClock;
    }

    @Override
    public void onTick(MetricsFrame frame, boolean fresh, long millisSinceFrame) {
        if (fresh || lastFrameWallMillis == 0) {
            lastFrameWallMillis = wallClock.getAsLong() - millisSinceFrame;
        }
        // A live node has no planned end; one replaying a show faster than real time is not on the wall clock.
        live = frame.durationSeconds() == 0 && frame.speed() == 1.0;
        if (!live || !fresh) {
            return;
        }
        long offset = wallClock.getAsLong() - millisSinceFrame - frame.engineMillis();
        if (!known || Math.abs(offset - offsetMillis) > DRIFT_MILLIS) {
            offsetMillis = offset;
            known = true;
        }
    }

    /** True while times are shown on the wall clock: a live node, once a frame placed it. */
    public boolean wallClock() {
        return live && known;
    }

    /** Wall-clock time the newest frame arrived (what the console shows is as of then), or 0 before any frame. */
    public long lastFrameWallMillis() {
        return lastFrameWallMillis;
    }

    /** {@code engineMillis} as a person reads it here: "23:05:12 UTC" on a live node, "05:12" in a rehearsal. */
    public String format(long engineMillis) {
        return wallClock() ? WallClock.format(engineMillis + offsetMillis) : EngineTime.format(engineMillis);
    }
}
