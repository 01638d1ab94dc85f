package io.edgedeck.console.common;

import io.edgedeck.client.model.MetricsFrame;

import java.util.function.LongSupplier;

/**
 * The times a person reads beside what happened: on a live node the wall clock (local, the zone named),
 * to match against the node's logs and the audit trail; in a rehearsal or a bundle the engine's own clock,
 * which is the show's. A live node's engine runs at the wall clock's pace from its start, so a moment of
 * engine time is placed on the wall clock by the frames: engine time against when each arrived, the least
 * delayed frame counting (a late first frame no longer shifts every time shown by its delay).
 * Fed by the frame ticker on the FX thread; read there.
 */
public final class ShowClock implements FrameTicker.Sink {
    /**
     * A frame reaches the console later than the node made it, by a network hop and a tick, never earlier: the
     * smallest offset seen is the truest, and a later frame with a smaller one moves the clock back to it. A
     * larger offset is a late frame, unless every frame for {@link #SHIFT_MILLIS} agrees it is more than
     * {@link #DRIFT_MILLIS} larger: then the engine's clock itself moved against the wall (a node restarted
     * behind its journal), and the smallest offset of those frames is taken.
     */
    private static final long DRIFT_MILLIS = 2_000;
    /** How long every frame must put the engine's clock later before the offset follows it. */
    static final long SHIFT_MILLIS = 10_000;

    private final LongSupplier wallClock;
    private final java.time.ZoneId zone;
    private boolean live;
    /** Wall-clock millis minus engine millis, while {@link #live}. */
    private long offsetMillis;
    private boolean known;
    /** The smallest offset of the frames since one first came in more than DRIFT_MILLIS above the offset kept; while shifted. */
    private long shiftedOffset;
    /** Wall-clock time the first of those frames arrived; 0 while frames agree with the offset kept. */
    private long shiftedSince;
    /** The engine time of the newest live frame; a frame behind it is a node or a show started again. */
    private long lastEngineMillis = -1;
    /** Wall-clock time the newest frame arrived; 0 before any. */
    private long lastFrameWallMillis;

    public ShowClock() {
        this(System::currentTimeMillis);
    }

    /** @param wallClock milliseconds since the epoch; tests pass their own */
    public ShowClock(LongSupplier wallClock) {
        this(wallClock, java.time.ZoneId.systemDefault());
    }

    /** @param zone the zone the wall-clock times (without a zone of their own) are read in; tests pass their own */
    public ShowClock(LongSupplier wallClock, java.time.ZoneId zone) {
        this.wallClock = wallClock;
        this.zone = zone;
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
        long arrived = wallClock.getAsLong() - millisSinceFrame;
        long offset = arrived - frame.engineMillis();
        boolean restarted = frame.engineMillis() < lastEngineMillis;
        lastEngineMillis = frame.engineMillis();
        if (!known || restarted || offset <= offsetMillis) {
            offsetMillis = offset;
            known = true;
            shiftedSince = 0;
        } else if (offset - offsetMillis <= DRIFT_MILLIS) {
            shiftedSince = 0;
        } else if (shiftedSince == 0) {
            shiftedSince = arrived;
            shiftedOffset = offset;
        } else {
            shiftedOffset = Math.min(shiftedOffset, offset);
            if (arrived - shiftedSince >= SHIFT_MILLIS) {
                offsetMillis = shiftedOffset;
                shiftedSince = 0;
            }
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
        return wallClock() ? WallClock.format(engineMillis + offsetMillis, zone) : EngineTime.format(engineMillis);
    }

    /**
     * {@code engineMillis} without the zone, for a table that names the zone once beside it ({@link #clockName}):
     * "23:05:12" on a live node, "05:12" in a rehearsal. A time from the other side of a change of summer time than
     * the name carries its own zone ("02:30:00 GMT+02:00" under "wall clock, GMT+01:00"): the name is the zone as of now.
     */
    public String formatBare(long engineMillis) {
        return wallClock() ? WallClock.formatUnder(engineMillis + offsetMillis, true, lastFrameWallMillis, zone)
                : EngineTime.format(engineMillis);
    }

    /**
     * The clock the times here are on, in words for a chart's axis or title: "wall clock, UTC" (the zone named, as
     * of the newest frame) on a live node, "show time" in a rehearsal, a bundle, or on a node playing a show faster
     * than real time.
     */
    public String clockName() {
        return wallClock() ? "wall clock, " + WallClock.zone(lastFrameWallMillis, zone) : "show time";
    }

    /** One mark of a time axis: where it goes, in engine milliseconds, and what it says. */
    public record Tick(long engineMillis, String label) {
    }

    /**
     * A time axis's marks from {@code fromMillis} to {@code toMillis} (engine time), {@code stepMillis} apart on the
     * clock {@link #format} reads: each at the time it names. On a live node they fall on round times of the wall
     * clock ("23:05", "23:10"; with seconds where they are under a minute apart), whatever second the node started
     * in; elsewhere on round times of the show ("05:00", "10:00"). The zone is named by {@link #clockName}; a mark on
     * the other side of a change of summer time than that name carries its own zone, as {@link #formatBare}'s times do
     * ("02:30 GMT+02:00" on an axis named "wall clock, GMT+01:00"): the hour read twice is never taken for the other.
     */
    public java.util.List<Tick> ticks(long fromMillis, long toMillis, long stepMillis) {
        // The engine moment at which the clock shown reads 0 (the epoch, on this zone's face, on a live node).
        long shift = 0;
        if (wallClock()) {
            shift = offsetMillis + WallClock.zoneOffsetMillis(fromMillis + offsetMillis, zone);
        }
        java.util.List<Tick> out = new java.util.ArrayList<>();
        for (long t = Math.ceilDiv(fromMillis + shift, stepMillis) * stepMillis - shift; t <= toMillis; t += stepMillis) {
            out.add(new Tick(t, wallClock() ? WallClock.formatUnder(t + offsetMillis, stepMillis % 60_000 != 0, lastFrameWallMillis, zone)
                    : EngineTime.format(t)));
        }
        return out;
    }
}
