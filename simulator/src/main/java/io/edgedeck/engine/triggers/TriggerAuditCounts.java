package io.edgedeck.engine.triggers;

import io.edgedeck.client.model.TriggerAudit;
import io.edgedeck.client.model.TriggerVerdict;
import io.edgedeck.client.stats.Estimate;
import io.edgedeck.client.stats.Moments;
import io.edgedeck.client.stats.TwoMeans;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trigger audit's counts (docs/TRIGGERS.md): sessions, conversions, and per rule the sessions it
 * fired for, those that converted after its first firing, those that converted at all, and per pair
 * of rules the sessions both fired for within {@link #OVERLAP_WINDOW_MILLIS} of each other. Each
 * session is counted once per figure, whatever it does after; the per-session memory is the end of
 * the session's {@link TriggerEngine} record, and two marks near its start. From the counts,
 * {@link #audit} judges each rule by the rule the docs state. Engine thread, like the
 * {@link TriggerEngine} that owns it.
 *
 * <p>A session's memory, from {@link #memoryAt}: which rules fired for it and which of those it
 * converted after (a bit per rule each), each rule's latest firing (ms since the session started, or
 * {@link TriggerEngine#EMPTY}), and which pairs of rules were already counted as overlapping for it
 * (a bit per pair a &lt; b).
 */
final class TriggerAuditCounts {
    /** Two firings for one session this close are an overlap. */
    static final int OVERLAP_WINDOW_MILLIS = 60_000;
    /** A trigger is judged once it fired for this many sessions and this many sessions saw it never fire. */
    static final long MIN_SESSIONS = 100;
    /** "High overlap": another trigger also fired within the window for at least this share of its sessions. */
    static final double HIGH_OVERLAP = 0.5;
    /** "Low lift": the lift is not clearly above this many proportion points (0.01: one point of conversion). */
    static final double LOW_LIFT = 0.01;
    /** Each end of a lift interval holds with 1 - this; the two ends together with 1 - twice this (95%). */
    static final double ALPHA_PER_END = 0.025;
    /** The normal mixture's spread: most sensitive to differences of about two points of conversion. */
    static final double PRIOR_SD = 0.02;
    /** Floor on each side's standard deviation, so a side with no conversion yet does not look certain. */
    static final double MIN_SD = 0.05;
    /** A session's marks ({@link TriggerEngine#MARKS}): counted among the audit's sessions, and converted at least once. */
    private static final int AUDITED = 1;
    private static final int CONVERTED = 2;

    private final int rules;
    /** Where a session's memory begins in its record, and where each part of it does. */
    private final int memoryAt;
    private final int convertedAfterAt;
    private final int lastFiredAt;
    private final int pairsAt;
    private final int memoryInts;
    private long sessions;
    private long convertedSessions;
    private final long[] sessionsFired;
    private final long[] convertedAfter;
    private final long[] convertedAndFired;
    /** Symmetric: sessions both rules fired for within the window. */
    private final long[][] overlap;

    /** Counts for {@code rules} rules, with each session's memory at {@code memoryAt} in its record. */
    TriggerAuditCounts(int rules, int memoryAt) {
        this.rules = rules;
        int words = (rules + 31) / 32;
        this.memoryAt = memoryAt;
        this.convertedAfterAt = memoryAt + words;
        this.lastFiredAt = convertedAfterAt + words;
        this.pairsAt = lastFiredAt + rules;
        this.memoryInts = pairsAt + (rules * (rules - 1) / 2 + 31) / 32 - memoryAt;
        this.sessionsFired = new long[rules];
        this.convertedAfter = new long[rules];
        this.convertedAndFired = new long[rules];
        this.overlap = new long[rules][rules];
    }

    /** Ints of a session's memory, at the end of its record. */
    int memoryInts() {
        return memoryInts;
    }

    /** A fresh session's memory: no rule fired, none converted after, no pair counted, no firing yet. */
    void startSession(int[] records, int base) {
        Arrays.fill(records, base + memoryAt, base + lastFiredAt, 0);
        Arrays.fill(records, base + lastFiredAt, base + pairsAt, TriggerEngine.EMPTY);
        Arrays.fill(records, base + pairsAt, base + memoryAt + memoryInts, 0);
    }

    /** The session sent an interaction a rule watches. */
    void seen(int[] records, int base) {
        int marks = records[base + TriggerEngine.MARKS];
        if ((marks & AUDITED) == 0) {
            records[base + TriggerEngine.MARKS] = marks | AUDITED;
            sessions++;
        }
    }

    /** Rule {@code r} fired for the session at {@code t} ms after it started. */
    void fired(int[] records, int base, int r, int t) {
        seen(records, base);
        if (!isSet(records, base + memoryAt, r)) {
            set(records, base + memoryAt, r);
            sessionsFired[r]++;
            if ((records[base + TriggerEngine.MARKS] & CONVERTED) != 0) {
                convertedAndFired[r]++;
            }
        }
        for (int o = 0; o < rules; o++) {
            int last = records[base + lastFiredAt + o];
            if (o != r && last != TriggerEngine.EMPTY && t - last <= OVERLAP_WINDOW_MILLIS) {
                countPair(records, base, Math.min(o, r), Math.max(o, r));
            }
        }
        records[base + lastFiredAt + r] = t;
    }

    /** The session converted. */
    void converted(int[] records, int base) {
        seen(records, base);
        int marks = records[base + TriggerEngine.MARKS];
        if ((marks & CONVERTED) == 0) {
            records[base + TriggerEngine.MARKS] = marks | CONVERTED;
            convertedSessions++;
            for (int r = 0; r < rules; r++) {
                if (isSet(records, base + memoryAt, r)) {
                    convertedAndFired[r]++;
                }
            }
        }
        for (int r = 0; r < rules; r++) {
            if (isSet(records, base + memoryAt, r) && !isSet(records, base + convertedAfterAt, r)) {
                set(records, base + convertedAfterAt, r);
                convertedAfter[r]++;
            }
        }
    }

    /** Counts the pair a &lt; b once per session. */
    private void countPair(int[] records, int base, int a, int b) {
        // pairs in order (0, 1), (0, 2) .. (0, n-1), (1, 2) ..
        int pair = a * (2 * rules - a - 1) / 2 + b - a - 1;
        if (isSet(records, base + pairsAt, pair)) {
            return;
        }
        set(records, base + pairsAt, pair);
        overlap[a][b]++;
        overlap[b][a]++;
    }

    private static boolean isSet(int[] records, int at, int i) {
        return (records[at + (i >>> 5)] & 1 << i) != 0;
    }

    private static void set(int[] records, int at, int i) {
        records[at + (i >>> 5)] |= 1 << i;
    }

    // ---------------------------------------------------------------- the audit

    /** The audit as it stands at {@code nowMillis} of engine time. */
    TriggerAudit audit(TriggerRule[] ruleList, long[] firings, long nowMillis) {
        double minutes = nowMillis / 60_000.0;
        Estimate[] lifts = new Estimate[rules];
        boolean[] judged = new boolean[rules];
        for (int r = 0; r < rules; r++) {
            long notFired = sessions - sessionsFired[r];
            judged[r] = sessionsFired[r] >= MIN_SESSIONS && notFired >= MIN_SESSIONS;
            if (sessionsFired[r] > 0 && notFired > 0) {
                lifts[r] = TwoMeans.difference(bernoulli(convertedAfter[r], sessionsFired[r]),
                        bernoulli(convertedSessions - convertedAndFired[r], notFired), ALPHA_PER_END, PRIOR_SD, MIN_SD);
            }
        }
        List<TriggerAudit.Row> rows = new ArrayList<>(rules);
        for (int r = 0; r < rules; r++) {
            long notFired = sessions - sessionsFired[r];
            long convertedNotFired = convertedSessions - convertedAndFired[r];
            Map<String, Long> overlapping = new LinkedHashMap<>();
            for (int o = 0; o < rules; o++) {
                if (o != r) {
                    overlapping.put(ruleList[o].id(), overlap[r][o]);
                }
            }
            Estimate lift = lifts[r];
            Verdict v = verdict(ruleList, r, judged, lifts);
            rows.add(new TriggerAudit.Row(0, ruleList[r].id(), action(ruleList[r]), firings[r], sessionsFired[r],
                    sessions == 0 ? 0 : round((double) sessionsFired[r] / sessions),
                    minutes <= 0 ? 0 : round(firings[r] / minutes), convertedAfter[r],
                    sessionsFired[r] == 0 ? null : round((double) convertedAfter[r] / sessionsFired[r]),
                    notFired, convertedNotFired, notFired == 0 ? null : round((double) convertedNotFired / notFired),
                    lift == null ? null : round(lift.value()),
                    lift == null || !judged[r] ? null : round(lift.lower()),
                    lift == null || !judged[r] ? null : round(lift.upper()),
                    overlapping, v.verdict, v.reason));
        }
        List<TriggerAudit.Row> ranked = rank(rows);
        return new TriggerAudit(nowMillis / 1000, sessions, convertedSessions, OVERLAP_WINDOW_MILLIS / 1000,
                1 - ALPHA_PER_END, MIN_SESSIONS, HIGH_OVERLAP, LOW_LIFT, ranked);
    }

    private record Verdict(TriggerVerdict verdict, String reason) {
    }

    private Verdict verdict(TriggerRule[] ruleList, int r, boolean[] judged, Estimate[] lifts) {
        long notFired = sessions - sessionsFired[r];
        if (!judged[r]) {
            return new Verdict(TriggerVerdict.TOO_FEW, String.format(Locale.ROOT,
                    "fired for %,d sessions, never for %,d: judged from %d on each side", sessionsFired[r], notFired,
                    MIN_SESSIONS));
        }
        int most = -1;
        for (int o = 0; o < rules; o++) {
            if (o != r && (most < 0 || overlap[r][o] > overlap[r][most])) {
                most = o;
            }
        }
        double share = most < 0 ? 0 : (double) overlap[r][most] / sessionsFired[r];
        Estimate lift = lifts[r];
        String liftText = liftText(lift);
        if (most < 0 || share < HIGH_OVERLAP) {
            return new Verdict(TriggerVerdict.KEEP, most < 0 ? "the only trigger: " + liftText
                    : String.format(Locale.ROOT, "no other trigger fires for half its sessions (most: %s, %.0f%%); %s",
                    ruleList[most].id(), 100 * share, liftText));
        }
        String overlapText = String.format(Locale.ROOT, "%s also fired within %d s for %.0f%% of its sessions",
                ruleList[most].id(), OVERLAP_WINDOW_MILLIS / 1000, 100 * share);
        if (lift.lower() < LOW_LIFT) {
            return new Verdict(TriggerVerdict.RETIRE_CANDIDATE, String.format(Locale.ROOT,
                    "%s, and %s is not clearly above %.0f point", overlapText, liftText, 100 * LOW_LIFT));
        }
        Estimate other = lifts[most];
        if (judged[most] && lift.upper() < other.lower()) {
            return new Verdict(TriggerVerdict.RETIRE_CANDIDATE, String.format(Locale.ROOT,
                    "%s, and %s is clearly below %s's (%s)", overlapText, liftText, ruleList[most].id(), liftText(other)));
        }
        return new Verdict(TriggerVerdict.KEEP, String.format(Locale.ROOT, "%s, but %s is clearly above %.0f point",
                overlapText, liftText, 100 * LOW_LIFT));
    }

    /** e.g. "lift +4.1 points (+2.9 to +5.3)". */
    static String liftText(Estimate lift) {
        return String.format(Locale.ROOT, "lift %+.1f points (%+.1f to %+.1f)", 100 * lift.value(), 100 * lift.lower(),
                100 * lift.upper());
    }

    /** Judged rows by the lower bound of their lift, highest first; then the rest by firings. */
    private static List<TriggerAudit.Row> rank(List<TriggerAudit.Row> rows) {
        Comparator<TriggerAudit.Row> order = Comparator
                .comparing((TriggerAudit.Row row) -> row.liftLower() == null)
                .thenComparing(row -> row.liftLower() == null ? 0 : -row.liftLower())
                .thenComparing(row -> -row.firings())
                .thenComparing(TriggerAudit.Row::id);
        List<TriggerAudit.Row> sorted = rows.stream().sorted(order).toList();
        List<TriggerAudit.Row> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            TriggerAudit.Row x = sorted.get(i);
            ranked.add(new TriggerAudit.Row(i + 1, x.id(), x.action(), x.firings(), x.sessionsFired(), x.firedShare(),
                    x.firingsPerMinute(), x.convertedAfter(), x.conversionAfter(), x.sessionsNotFired(),
                    x.convertedNotFired(), x.conversionNotFired(), x.lift(), x.liftLower(), x.liftUpper(),
                    x.overlapSessions(), x.verdict(), x.reason()));
        }
        return ranked;
    }

    /** k successes in n trials as the moments of n zeros and ones. */
    private static Moments bernoulli(long k, long n) {
        return Moments.of(n, k, k);
    }

    private static String action(TriggerRule rule) {
        return rule.action().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
