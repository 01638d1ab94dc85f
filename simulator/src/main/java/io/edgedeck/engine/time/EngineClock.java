package io.edgedeck.engine.time;

/**
 * Where the edge core's time comes from. The core never reads a clock: its caller, on the engine
 * thread, moves it forward ({@code EdgeCore.advanceTo}) to the time a clock says. In a rehearsal
 * that is a {@link VirtualClock} the show steps, so the same seed gives the same show at any speed;
 * on a live node it is the {@linkplain #wall wall clock}.
 *
 * <p>Engine time is milliseconds since the show or node started. Events a source stamps with their
 * own time (epoch milliseconds) are placed on it with {@link #toEngineMillis}.
 */
public interface EngineClock {

    /** Engine time now, in ms since the start. */
    long nowMillis();

    /** The engine time of an instant in epoch milliseconds. */
    long toEngineMillis(long epochMillis);

    /**
     * The wall clock, with engine time 0 at {@code epochMillisAtStart}.
     *
     * @param wall the wall clock (a fixed one in tests)
     */
    static EngineClock wall(java.time.InstantSource wall, long epochMillisAtStart) {
        return wall(wall, epochMillisAtStart, 1);
    }

    /**
     * The wall clock run {@code rate} times as fast, with engine time 0 at {@code epochMillisAtStart}:
     * a node a show is rehearsed into over the wire at {@code rate} times its pace, so its windows and
     * evidence periods span as much of the show as they do in-process. A real show's node runs at 1.
     */
    static EngineClock wall(java.time.InstantSource wall, long epochMillisAtStart, double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("a clock's rate must be positive, was " + rate);
        }
        return new EngineClock() {
            @Override
            public long nowMillis() {
                return toEngineMillis(wall.millis());
            }

            @Override
            public long toEngineMillis(long epochMillis) {
                return rate == 1 ? epochMillis - epochMillisAtStart : (long) Math.floor((epochMillis - epochMillisAtStart) * rate);
            }
        };
    }
}
