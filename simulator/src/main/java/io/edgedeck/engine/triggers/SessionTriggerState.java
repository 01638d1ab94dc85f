package io.edgedeck.engine.triggers;

/**
 * The trigger state of one session kept on its own: one record of the {@link TriggerEngine} that
 * created it (see {@link TriggerEngine#recordInts()}), in an array of its own. A caller that keeps
 * many sessions together keeps their records side by side in one array instead. Only the engine
 * thread touches it.
 */
public final class SessionTriggerState {
    final int[] record;

    SessionTriggerState(int recordInts) {
        this.record = new int[recordInts];
    }

    public long startedAtMillis() {
        return TriggerEngine.startedAtMillis(record, 0);
    }
}
