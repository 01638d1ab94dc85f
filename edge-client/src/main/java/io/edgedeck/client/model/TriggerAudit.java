package io.edgedeck.client.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trigger audit: per micro-metric trigger, how often it fires, how the sessions it fired for
 * converted afterwards against the sessions it never fired for, and how often every other trigger
 * fired for the same session within {@code overlapWindowSeconds} of it. Served by a node at
 * {@code GET /api/v1/triggers}, carried in run reports, drawn by the console's Triggers view.
 * docs/TRIGGERS.md states what each number means, the interval's guarantee and the retire rule.
 *
 * @param showSeconds          engine seconds the counts cover
 * @param sessions             sessions that sent at least one interaction a trigger watches, or converted
 * @param convertedSessions    of those, sessions that converted at least once
 * @param overlapWindowSeconds two firings for one session this close count as an overlap
 * @param level                the confidence of each end of a lift interval (one-sided)
 * @param minSessions          the retire rule judges a trigger once it fired for this many sessions and this
 *                             many saw it never fire
 * @param highOverlap          the rule's "high overlap": another trigger fired within the window for at least
 *                             this share of its sessions
 * @param lowLift              the rule's "low lift": a lift not clearly above this (in proportion points)
 * @param triggers             one row per trigger, best first (the row's {@code rank})
 */
public record TriggerAudit(long showSeconds, long sessions, long convertedSessions, int overlapWindowSeconds,
                           double level, long minSessions, double highOverlap, double lowLift, List<Row> triggers) {
    public static final TriggerAudit NONE = new TriggerAudit(0, 0, 0, 0, 0, 0, 0, 0, List.of());

    public TriggerAudit {
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
    }

    /**
     * One trigger.
     *
     * @param rank               1 for the trigger surest to earn its keep (highest lower bound of its lift)
     * @param firings            firings since the show started
     * @param sessionsFired      sessions it fired for at least once
     * @param firedShare         sessionsFired over all sessions, 0 to 1
     * @param firingsPerMinute   firings per minute of show
     * @param convertedAfter     of sessionsFired, those that converted after its first firing
     * @param conversionAfter    convertedAfter / sessionsFired, or null when it never fired
     * @param sessionsNotFired   sessions it never fired for
     * @param convertedNotFired  of those, sessions that converted
     * @param conversionNotFired convertedNotFired / sessionsNotFired, or null when there are none
     * @param lift               conversionAfter - conversionNotFired in proportion points (0.05 is five points), or
     *                           null when either side is empty
     * @param liftLower          its lower bound, or null while not judged
     * @param liftUpper          its upper bound, or null while not judged
     * @param overlapSessions    per other trigger, the sessions both fired for within the overlap window of each other
     * @param verdict            what the retire rule makes of it
     * @param reason             the verdict in words, with the numbers it rests on
     */
    public record Row(int rank, String id, String action, long firings, long sessionsFired, double firedShare,
                      double firingsPerMinute, long convertedAfter, Double conversionAfter, long sessionsNotFired,
                      long convertedNotFired, Double conversionNotFired, Double lift, Double liftLower, Double liftUpper,
                      Map<String, Long> overlapSessions, TriggerVerdict verdict, String reason) {
        public Row {
            overlapSessions = overlapSessions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overlapSessions));
        }

        /** The share of this trigger's sessions for which {@code other} also fired within the window, 0 to 1. */
        public double overlapShare(String other) {
            Long both = overlapSessions.get(other);
            return both == null || sessionsFired == 0 ? 0 : (double) both / sessionsFired;
        }
    }
}
