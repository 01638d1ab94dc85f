package io.edgedeck.engine.triggers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trigger engine as it was written first, with each session's state in objects of its own (a
 * slot array, an id array, the audit's memory in lazily made arrays and a list of counted pairs):
 * the yardstick {@link TriggerRecordsTest} holds the engine's one-record-per-session layout to. Not
 * used by the product.
 */
final class ReferenceTriggerEngine {
    static final int EMPTY = Integer.MIN_VALUE;

    static final class Session {
        final long epochMillis;
        final int[] slots;
        final long[] recentEventIds;
        boolean audited;
        boolean converted;
        long[] firedRules;
        long[] convertedAfterRules;
        int[] lastFiredAt;
        int[] overlappingPairs;
        int overlappingPairCount;

        Session(long epochMillis, int slotCount, int duplicateMemory) {
            this.epochMillis = epochMillis;
            this.slots = new int[slotCount];
            this.recentEventIds = new long[duplicateMemory];
        }
    }

    private final TriggerRule[] rules;
    private final TriggerLimits limits;
    private final int[] kindMasks;
    private final int anyRuleKinds;
    private final int[][] sequences;
    private final int[] runOffsets;
    private final int[] rateOffsets;
    private final int duplicateOffset;
    private final int slotCount;
    private final int words;

    final long[] firings;
    long rejectedDuplicates;
    long rateLimited;
    long latencyTotalMicros;
    long latencyMaxMicros;
    long sessions;
    long convertedSessions;
    final long[] sessionsFired;
    final long[] convertedAfter;
    final long[] convertedAndFired;
    final long[][] overlap;

    ReferenceTriggerEngine(List<TriggerRule> rules, TriggerLimits limits) {
        this.rules = rules.toArray(TriggerRule[]::new);
        this.limits = limits;
        int n = this.rules.length;
        this.kindMasks = new int[n];
        this.sequences = new int[n][];
        this.runOffsets = new int[n];
        this.rateOffsets = new int[n];
        this.firings = new long[n];
        this.words = (n + 63) / 64;
        this.sessionsFired = new long[n];
        this.convertedAfter = new long[n];
        this.convertedAndFired = new long[n];
        this.overlap = new long[n][n];
        int offset = 0;
        for (int r = 0; r < n; r++) {
            TriggerRule rule = this.rules[r];
            sequences[r] = rule.kinds().stream().mapToInt(Enum::ordinal).toArray();
            for (int kind : sequences[r]) {
                kindMasks[r] |= 1 << kind;
            }
            runOffsets[r] = offset;
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

    Session newSession(long nowMillis) {
        var state = new Session(nowMillis, slotCount, limits.duplicateMemory());
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

    /** The ids of the rules that fired, in order. */
    List<String> onInteraction(Session session, InteractionKind kind, long eventId, long nowMillis, long processingMicros) {
        if ((anyRuleKinds & 1 << kind.ordinal()) == 0) {
            return List.of();
        }
        long rel = nowMillis - session.epochMillis;
        if (rel < 0 || rel > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("outside the session");
        }
        int t = (int) rel;
        seen(session);
        if (isRecentDuplicate(session, eventId, t)) {
            rejectedDuplicates++;
            return List.of();
        }
        List<String> fired = new ArrayList<>();
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
            int base = runOffsets[r];
            if (rule.ordered()) {
                Arrays.fill(session.slots, base, base + rule.count(), EMPTY);
            } else {
                Arrays.fill(session.slots, base + 1, base + 1 + rule.count(), EMPTY);
            }
            if (!admitFiring(session.slots, r, t)) {
                rateLimited++;
                continue;
            }
            firings[r]++;
            fired(session, r, t);
            latencyTotalMicros += processingMicros;
            latencyMaxMicros = Math.max(latencyMaxMicros, processingMicros);
            fired.add(rule.id());
        }
        return fired;
    }

    void onConversion(Session s) {
        seen(s);
        if (!s.converted) {
            s.converted = true;
            convertedSessions++;
            for (int r = 0; s.firedRules != null && r < rules.length; r++) {
                if (isSet(s.firedRules, r)) {
                    convertedAndFired[r]++;
                }
            }
        }
        for (int r = 0; s.firedRules != null && r < rules.length; r++) {
            if (isSet(s.firedRules, r) && !isSet(s.convertedAfterRules, r)) {
                set(s.convertedAfterRules, r);
                convertedAfter[r]++;
            }
        }
    }

    private void seen(Session s) {
        if (!s.audited) {
            s.audited = true;
            sessions++;
        }
    }

    private void fired(Session s, int r, int t) {
        seen(s);
        if (s.firedRules == null) {
            s.firedRules = new long[words];
            s.convertedAfterRules = new long[words];
            s.lastFiredAt = new int[rules.length];
            Arrays.fill(s.lastFiredAt, Integer.MIN_VALUE);
        }
        if (!isSet(s.firedRules, r)) {
            set(s.firedRules, r);
            sessionsFired[r]++;
            if (s.converted) {
                convertedAndFired[r]++;
            }
        }
        for (int o = 0; o < rules.length; o++) {
            int last = s.lastFiredAt[o];
            if (o != r && last != Integer.MIN_VALUE && t - last <= TriggerAuditCounts.OVERLAP_WINDOW_MILLIS) {
                countPair(s, Math.min(o, r), Math.max(o, r));
            }
        }
        s.lastFiredAt[r] = t;
    }

    private void countPair(Session s, int a, int b) {
        int code = a * rules.length + b;
        for (int i = 0; i < s.overlappingPairCount; i++) {
            if (s.overlappingPairs[i] == code) {
                return;
            }
        }
        if (s.overlappingPairs == null) {
            s.overlappingPairs = new int[2];
        } else if (s.overlappingPairCount == s.overlappingPairs.length) {
            s.overlappingPairs = Arrays.copyOf(s.overlappingPairs, s.overlappingPairCount * 2);
        }
        s.overlappingPairs[s.overlappingPairCount++] = code;
        overlap[a][b]++;
        overlap[b][a]++;
    }

    private static boolean isSet(long[] bits, int i) {
        return (bits[i >>> 6] & 1L << i) != 0;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private boolean isRecentDuplicate(Session session, long eventId, int t) {
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
