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

    // The trigger audit's memory of this session (TriggerAuditCounts): kept apart from the rule
    // state, and allocated only once something fires.
    /** Counted among the audit's sessions. */
    boolean audited;
    /** Converted at least once. */
    boolean converted;
    /** Per rule, set once it fired for this session; null until a rule fires. */
    long[] firedRules;
    /** Per rule, set once this session converted after that rule first fired. */
    long[] convertedAfterRules;
    /** Per rule, its latest firing (ms since the session started), or {@link TriggerEngine#EMPTY}. */
    int[] lastFiredAt;
    /** Pairs of rules (a * rules + b, a < b) already counted as overlapping for this session. */
    int[] overlappingPairs;
    int overlappingPairCount;

    SessionTriggerState(long epochMillis, int slotCount, int duplicateMemory) {
        this.epochMillis = epochMillis;
        this.slots = new int[slotCount];
        this.recentEventIds = new long[duplicateMemory];
    }

    public long startedAtMillis() {
        return epochMillis;
    }
}
