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
 * One {@code int[]} holds, per rule: for an unordered rule a ring of the last {@code count}
 * matching timestamps behind its write index; for an ordered rule, per step, the latest start of
 * a partial run that has reached that step; then a ring of the rule's recent firing times for the
 * rate limit. After the rules come the times of the recently seen event ids, whose ids are in a
 * {@code long[]}. Empty slots hold {@link #EMPTY}.
 */
public final class TriggerEngine {
    static final int EMPTY = Integer.MIN_VALUE;

    private final TriggerRule[] rules;
    private final TriggerLimits limits;
    private final int[] kindMasks;
    /** Every kind some rule counts, as a bit set over {@link InteractionKind} ordinals. */
    private final int anyRuleKinds;
    private final int[][] sequences;
    private final int[] runOffsets;
    private final int[] rateOffsets;
    private final int duplicateOffset;
    private final int slotCount;

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
        this.audit = new TriggerAuditCounts(this.rules.length);
        var ids = new HashSet<String>();
        int offset = 0;
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
        this.slotCount = offset + 1 + limits.duplicateMemory();
        int any = 0;
        for (int mask : kindMasks) {
            any |= mask;
        }
        this.anyRuleKinds = any;
    }

    /** Fresh state for a session starting at {@code nowMillis}; the session's times are kept relative to it. */
    public SessionTriggerState newSession(long nowMillis) {
        var state = new SessionTriggerState(nowMillis, slotCount, limits.duplicateMemory());
        Arrays.fill(state.slots, EMPTY);
        for (int r = 0; r < rules.length; r++) {
            if (!rules[r].ordered()) {
                state.slots[runOffsets[r]] = 0;
            }
            state.slots[rateOffsets[r]] = 0;
        }
        state.slots[duplicateOffset] = 0;
        return state;
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
        if ((anyRuleKinds & 1 << kind.ordinal()) == 0) {
            // No rule counts this kind of interaction: nothing to decide, and nothing a replay of
            // it could game.
            return List.of();
        }
        int t = relative(session, nowMillis);
        audit.seen(session);
        if (isRecentDuplicate(session, eventId, t)) {
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
                    ? advanceSequence(session.slots, r, kindOrdinal, t, (int) rule.windowMillis())
                    : advanceCount(session.slots, r, t, (int) rule.windowMillis());
            if (!qualified) {
                continue;
            }
            resetRun(session.slots, r);
            if (!admitFiring(session.slots, r, t)) {
                rateLimited++;
                continue;
            }
            firings[r]++;
            audit.fired(session, r, t);
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
        audit.converted(session);
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

    /** Ints per session in the state array, for sizing. */
    public int slotsPerSession() {
        return slotCount;
    }

    private static int relative(SessionTriggerState session, long nowMillis) {
        long t = nowMillis - session.epochMillis;
        if (t < 0 || t > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("interaction at " + nowMillis + " ms is outside the session started at "
                    + session.epochMillis + " ms (sessions are tracked for up to 24 days)");
        }
        return (int) t;
    }

    private boolean isRecentDuplicate(SessionTriggerState session, long eventId, int t) {
        int[] slots = session.slots;
        long[] ids = session.recentEventIds;
        int times = duplicateOffset + 1;
        for (int i = 0; i < ids.length; i++) {
            int seenAt = slots[times + i];
            if (seenAt != EMPTY && ids[i] == eventId && t - seenAt <= limits.duplicateHorizonMillis()) {
                return true;
            }
        }
        int next = slots[duplicateOffset];
        ids[next] = eventId;
        slots[times + next] = t;
        slots[duplicateOffset] = (next + 1) % ids.length;
        return false;
    }

    /** Records a matching interaction; true when the last {@code count} of them fit in the window. */
    private boolean advanceCount(int[] slots, int r, int t, int window) {
        int base = runOffsets[r];
        int count = rules[r].count();
        int next = slots[base];
        slots[base + 1 + next] = t;
        next = (next + 1) % count;
        slots[base] = next;
        int oldest = slots[base + 1 + next];
        return oldest != EMPTY && t - oldest <= window;
    }

    /**
     * Extends partial runs. Slot {@code i} keeps the latest start among runs that reached step
     * {@code i}, since a later start leaves the most of the window. Steps are visited last to first
     * so one interaction never advances two steps at once (a sequence may repeat a kind).
     */
    private boolean advanceSequence(int[] slots, int r, int kindOrdinal, int t, int window) {
        int base = runOffsets[r];
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

    private void resetRun(int[] slots, int r) {
        int base = runOffsets[r];
        if (rules[r].ordered()) {
            Arrays.fill(slots, base, base + rules[r].count(), EMPTY);
        } else {
            Arrays.fill(slots, base + 1, base + 1 + rules[r].count(), EMPTY);
        }
    }

    /** True, and remembered, if the rule may fire again for this session within the rate limit. */
    private boolean admitFiring(int[] slots, int r, int t) {
        int base = rateOffsets[r];
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
