package io.edgedeck.engine.time;

/**
 * A clock that moves only when told to: a rehearsal's engine time. Its epoch is engine time
 * itself, so an event stamped {@code at} 5000 happened 5 s into the show. One thread.
 */
public final class VirtualClock implements EngineClock {
    private long nowMillis;

    /** A clock at engine time 0. */
    public VirtualClock() {
        this(0);
    }

    /** A clock at {@code startMillis}: where a core restored from its journal resumes. */
    public VirtualClock(long startMillis) {
        this.nowMillis = startMillis;
    }

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    @Override
    public long toEngineMillis(long epochMillis) {
        return epochMillis;
    }

    /** Moves the clock forward. */
    public void advance(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("a clock does not go back; was asked to move " + millis + " ms");
        }
        nowMillis += millis;
    }
}
