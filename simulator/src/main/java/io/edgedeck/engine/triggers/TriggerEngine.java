package io.edgedeck.engine.triggers;

import io.edgedeck.client.model.TriggerMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Evaluates micro-metric {@link TriggerRule}s per session as small state machines over
 * {@link SessionTriggerState}. Deterministic: time is the {@code nowMillis} passed in and the
 * decision latency is the processing time passed in; nothing here reads a clock.
 * Single-threaded: the engine thread owns the engine and all its sessions.
 *
 * <h2>Per-session layout</h2>
 * A session is one record of {@link #recordInts()} ints, in an array of its own
 * ({@link SessionTriggerState}) or side by side with other sessions' records in one array the caller
 * owns, so that an interaction reads and writes a few neighbouring cache lines. The record holds the
 * session's start (two ints) and its audit marks (counted, converted), then per rule: for an
 * unordered rule a ring of the last {@code count} matching timestamps behind its write index; for an
 * ordered rule, per step, the latest start of a partial run that has reached that step; then a ring
 * of the rule's recent firing times for the rate limit. After the rules come the times of the
 * recently seen event ids behind their write index, then the ids (two ints each), and last the
 * trigger audit's memory of the session ({@link TriggerAuditCounts}). Timestamps are int
 * milliseconds since the session started; empty slots hold {@link #EMPTY}.
 */
public final class TriggerEngine {
    static final int EMPTY = Integer.MIN_VALUE;
    /** Where a record keeps its session's start (low and high int) and its audit marks. */
    static final int EPOCH_LOW = 0;
    static final int EPOCH_HIGH = 1;
    static final int MARKS = 2;
    /** Where the rules' slots begin. */
    private static final int RULES_AT = 3;

    private final TriggerRule[] rules;
    private final TriggerLimits limits;
    private final int[] kindMasks;
    /** Every kind some rule counts, as a bit set over {@link InteractionKind} ordinals. */
    private final int anyRuleKinds;
    private final int[][] sequences;
    private final int[] runOffsets;
    private final int[] rateOffsets;
    private final int duplicateOffset;
    /** Where the recent event ids begin, two ints each. */
    private final int idsOffset;
    private final int slotCount;
    private final int recordInts;
    private final int duplicateMemory;
    private final int duplicateHorizon;

    private final long[] firings;
    private long rejectedDuplicates;
    private long rateLimited;
    private long latencyTotalMicros;
    private long latencyMaxMicros;
    private final TriggerAuditCounts audit;

    public TriggerEngine(List<TriggerRule> rules, TriggerLimits limits) {
        this.rules = rules.toArray(TriggerRule[]::new);
        this.limits = limits;
        this.kindMasks = new int[this.rules.length];
        this.sequences = new int[this.rules.length][];
        this.runOffsets = new int[this.rules.length];
        this.rateOffsets = new int[this.rules.length];
        this.firings = new long[this.rules.length];
        var ids = new HashSet<String>();
        int offset = RULES_AT;
        for (int r = 0; r < this.rules.length; r++) {
            TriggerRule rule = this.rules[r];
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("two trigger rules are called " + rule.id());
            }
            sequences[r] = rule.kinds().stream().mapToInt(Enum::ordinal).toArray();
            for (int kind : sequences[r]) {
                kindMasks[r] |= 1 << kind;
            }
            runOffsets[r] = offset;
            // An unordered run needs its write index and a ring of count; a sequence needs one slot per step.
            offset += rule.ordered() ? rule.count() : 1 + rule.count();
            rateOffsets[r] = offset;
            offset += 1 + limits.maxFiringsPerRule();
        }
        this.duplicateOffset = offset;
        this.slotCount = offset + 1 + limits.duplicateMemory() - RULES_AT;
        this.idsOffset = offset + 1 + limits.duplicateMemory();
        this.duplicateMemory = limits.duplicateMemory();
        this.duplicateHorizon = (int) limits.duplicateHorizonMillis();
        this.audit = new TriggerAuditCounts(this.rules.length, idsOffset + 2 * duplicateMemory);
        this.recordInts = idsOffset + 2 * duplicateMemory + audit.memoryInts();
        int any = 0;
        for (int mask : kindMasks) {
            any |= mask;
        }
        this.anyRuleKinds = any;
    }

    /** Fresh state for a session starting at {@code nowMillis}; the session's times are kept relative to it. */
    public SessionTriggerState newSession(long nowMillis) {
        var state = new SessionTriggerState(recordInts);
        startSession(state.record, 0, nowMillis);
        return state;
    }

    /** Ints in one session's record. */
    public int recordInts() {
        return recordInts;
    }

    /**
     * Makes {@code records[base, base + recordInts())} a fresh session starting at {@code nowMillis},
     * whatever it held: for a caller that keeps many sessions' records in one array.
     */
    public void startSession(int[] records, int base, long nowMillis) {
        Arrays.fill(records, base, base + recordInts, EMPTY);
        records[base + EPOCH_LOW] = (int) nowMillis;
        records[base + EPOCH_HIGH] = (int) (nowMillis >>> 32);
        records[base + MARKS] = 0;
        for (int r = 0; r < rules.length; r++) {
            if (!rules[r].ordered()) {
                records[base + runOffsets[r]] = 0;
            }
            records[base + rateOffsets[r]] = 0;
        }
        records[base + duplicateOffset] = 0;
        audit.startSession(records, base);
    }

    /** When the session whose record starts at {@code base} started, in engine milliseconds. */
    static long startedAtMillis(int[] records, int base) {
        return (long) records[base + EPOCH_HIGH] << 32 | records[base + EPOCH_LOW] & 0xFFFF_FFFFL;
    }

    /**
     * Feeds one interaction to every rule.
     *
     * @param eventId           the interaction's id; seen again within the duplicate horizon, it is dropped
     * @param processingMicros  the processing latency the PoP charges for this decision
     * @return the firings (usually none); allocates only when something fires
     */
    public List<TriggerFiring> onInteraction(SessionTriggerState session, InteractionKind kind, long eventId,
                                             long nowMillis, long processingMicros) {
        return onInteraction(session.record, 0, kind, eventId, nowMillis, processingMicros);
    }

    /**
     * {@link #onInteraction(SessionTriggerState, InteractionKind, long, long, long)} for the session
     * whose record starts at {@code base} in {@code records} ({@link #startSession}).
     */
    public List<TriggerFiring> onInteraction(int[] records, int base, InteractionKind kind, long eventId,
                                             long nowMillis, long processingMicros) {
        if ((anyRuleKinds & 1 << kind.ordinal()) == 0) {
            // No rule counts this kind of interaction: nothing to decide, and nothing a replay of
            // it could game.
            return List.of();
        }
        int t = relative(records, base, nowMillis);
        audit.seen(records, base);
        if (isRecentDuplicate(records, base, eventId, t)) {
            rejectedDuplicates++;
            return List.of();
        }
        List<TriggerFiring> fired = List.of();
        int kindOrdinal = kind.ordinal();
        for (int r = 0; r < rules.length; r++) {
            if ((kindMasks[r] & 1 << kindOrdinal) == 0) {
                continue;
            }
            TriggerRule rule = rules[r];
            boolean qualified = rule.ordered()
                    ? advanceSequence(records, base, r, kindOrdinal, t, (int) rule.windowMillis())
                    : advanceCount(records, base, r, t, (int) rule.windowMillis());
            if (!qualified) {
                continue;
            }
            resetRun(records, base, r);
            if (!admitFiring(records, base, r, t)) {
                rateLimited++;
                continue;
            }
            firings[r]++;
            audit.fired(records, base, r, t);
            latencyTotalMicros += processingMicros;
            latencyMaxMicros = Math.max(latencyMaxMicros, processingMicros);
            var firing = new TriggerFiring(rule.id(), rule.action(), nowMillis, eventId, processingMicros);
            if (fired.isEmpty()) {
                fired = List.of(firing);
            } else {
                var more = new ArrayList<>(fired);
                more.add(firing);
                fired = List.copyOf(more);
            }
        }
        return fired;
    }

    /**
     * The session converted (a checkout completed, or the app reported a conversion): for the
     * trigger audit, which compares conversion after a trigger fired with conversion where it never did.
     * Call it before feeding the interaction that came with the conversion, so a trigger that fires
     * on the checkout itself is not credited with it.
     */
    public void onConversion(SessionTriggerState session) {
        audit.converted(session.record, 0);
    }

    /** {@link #onConversion(SessionTriggerState)} for the session whose record starts at {@code base}. */
    public void onConversion(int[] records, int base) {
        audit.converted(records, base);
    }

    /** The trigger audit at {@code nowMillis} of engine time (docs/TRIGGERS.md). */
    public io.edgedeck.client.model.TriggerAudit audit(long nowMillis) {
        return audit.audit(rules, firings, nowMillis);
    }

    public TriggerStats stats() {
        var byRule = new LinkedHashMap<String, Long>();
        for (int r = 0; r < rules.length; r++) {
            byRule.put(rules[r].id(), firings[r]);
        }
        return new TriggerStats(byRule, rejectedDuplicates, rateLimited, latencyTotalMicros, latencyMaxMicros);
    }

    /** The totals as a metrics frame carries them. */
    public TriggerMetrics metrics() {
        TriggerStats s = stats();
        long fired = s.firingsByRule().values().stream().mapToLong(Long::longValue).sum();
        return new TriggerMetrics(s.firingsByRule(), s.rejectedDuplicates(), s.rateLimited(),
                fired == 0 ? 0 : (double) s.decisionLatencyMicrosTotal() / fired, s.decisionLatencyMicrosMax());
    }

    /**
     * Ints per session for the rules and the duplicate memory: the part of a record that follows the
     * session's start and marks and precedes the event ids, for sizing.
     */
    public int slotsPerSession() {
        return slotCount;
    }

    private static int relative(int[] records, int base, long nowMillis) {
        long epochMillis = startedAtMillis(records, base);
        long t = nowMillis - epochMillis;
        if (t < 0 || t > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("interaction at " + nowMillis + " ms is outside the session started at "
                    + epochMillis + " ms (sessions are tracked for up to 24 days)");
        }
        return (int) t;
    }

    private boolean isRecentDuplicate(int[] records, int base, long eventId, int t) {
        int times = base + duplicateOffset + 1;
        int ids = base + idsOffset;
        int low = (int) eventId;
        int high = (int) (eventId >>> 32);
        for (int i = 0; i < duplicateMemory; i++) {
            int seenAt = records[times + i];
            if (seenAt != EMPTY && records[ids + 2 * i] == low && records[ids + 2 * i + 1] == high
                    && t - seenAt <= duplicateHorizon) {
                return true;
            }
        }
        int next = records[base + duplicateOffset];
        records[ids + 2 * next] = low;
        records[ids + 2 * next + 1] = high;
        records[times + next] = t;
        records[base + duplicateOffset] = (next + 1) % duplicateMemory;
        return false;
    }

    /** Records a matching interaction; true when the last {@code count} of them fit in the window. */
    private boolean advanceCount(int[] records, int session, int r, int t, int window) {
        int base = session + runOffsets[r];
        int count = rules[r].count();
        int next = records[base];
        records[base + 1 + next] = t;
        next = (next + 1) % count;
        records[base] = next;
        int oldest = records[base + 1 + next];
        return oldest != EMPTY && t - oldest <= window;
    }

    /**
     * Extends partial runs. Slot {@code i} keeps the latest start among runs that reached step
     * {@code i}, since a later start leaves the most of the window. Steps are visited last to first
     * so one interaction never advances two steps at once (a sequence may repeat a kind).
     */
    private boolean advanceSequence(int[] slots, int session, int r, int kindOrdinal, int t, int window) {
        int base = session + runOffsets[r];
        int[] sequence = sequences[r];
        int last = sequence.length - 1;
        boolean completed = false;
        for (int i = last; i >= 0; i--) {
            if (sequence[i] != kindOrdinal) {
                continue;
            }
            int start;
            if (i == 0) {
                start = t;
            } else {
                start = slots[base + i - 1];
                if (start == EMPTY || t - start > window) {
                    continue;
                }
            }
            int current = slots[base + i];
            if (current == EMPTY || start > current) {
                slots[base + i] = start;
            }
            completed |= i == last;
        }
        return completed;
    }

    private void resetRun(int[] slots, int session, int r) {
        int base = session + runOffsets[r];
        if (rules[r].ordered()) {
            Arrays.fill(slots, base, base + rules[r].count(), EMPTY);
        } else {
            Arrays.fill(slots, base + 1, base + 1 + rules[r].count(), EMPTY);
        }
    }

    /** True, and remembered, if the rule may fire again for this session within the rate limit. */
    private boolean admitFiring(int[] slots, int session, int r, int t) {
        int base = session + rateOffsets[r];
        int next = slots[base];
        int oldest = slots[base + 1 + next];
        if (oldest != EMPTY && t - oldest < limits.rateWindowMillis()) {
            return false;
        }
        slots[base + 1 + next] = t;
        slots[base] = (next + 1) % limits.maxFiringsPerRule();
        return true;
    }
}
