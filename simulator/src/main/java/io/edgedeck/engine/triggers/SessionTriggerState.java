package io.edgedeck.engine.triggers;

/**
 * The trigger state of one session: two primitive arrays laid out by the {@link TriggerEngine}
 * that created it, with timestamps stored as int milliseconds since the session started. Sessions
 * number in the hundreds of thousands, so a session costs a few hundred bytes whatever it does.
 * Only the engine thread touches it.
 */
public final class SessionTriggerState {
    final long epochMillis;
    final int[] slots;
    final long[] recentEventIds;

    SessionTriggerState(long epochMillis, int slotCount, int duplicateMemory) {
        this.epochMillis = epochMillis;
        this.slots = new int[slotCount];
        this.recentEventIds = new long[duplicateMemory];
    }

    public long startedAtMillis() {
        return epochMillis;
    }
}
