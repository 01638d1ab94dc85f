package io.edgedeck.simulator.scenario;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Which changes wait for a second person on a node (its approval lanes, docs/API.md): a show's
 * {@code approvals} object, in a scenario or a node configuration. Changes that make the show safer
 * (a kill, a rollback, arming a guardrail) and show control never wait.
 *
 * @param variantAbovePercent a flag change that raises a variant other than the flag's control above
 *                            this weight, in percent; null for no such lane
 * @param unkill              bringing a killed flag back waits
 * @param disarm              disarming an armed guardrail waits
 * @param beforeDrop          every flag change, unkill and disarm in the minutes before a named moment
 *                            of the show waits; null for none
 */
public record Approvals(Double variantAbovePercent, boolean unkill, boolean disarm, BeforeDrop beforeDrop) {
    /** No lanes: every change applies at once. */
    public static final Approvals NONE = new Approvals(null, false, false, null);

    /**
     * The last {@code minutes} before a named moment, e.g. the drop.
     *
     * @param cue       its name, as the audit and the console say it
     * @param atSeconds when it is, in seconds of show time (engine time; on a live node, since the node's first start); or null
     * @param at        when it is on the wall clock (ISO-8601 instant, e.g. {@code 2026-12-02T21:00:00Z}); or null. Exactly one of the two.
     * @param minutes   how long before it changes wait
     */
    public record BeforeDrop(String cue, Integer atSeconds, String at, int minutes) {
        /** What is wrong with it (checked with the rest of the show, {@code ScenarioChecks}), or null. */
        String problem() {
            if ((atSeconds == null) == (at == null)) {
                return "give exactly one of atSeconds (show time) and at (wall clock)";
            }
            if (at != null) {
                try {
                    Instant.parse(at);
                } catch (DateTimeParseException e) {
                    return "at must be an ISO-8601 instant such as 2026-12-02T21:00:00Z, was '" + at + "'";
                }
            }
            return null;
        }

        /**
         * True when a change made now falls in the window: from {@code minutes} before the moment up to
         * the moment itself.
         *
         * @param showMillis engine time now
         * @param wallMillis the wall clock now
         */
        public boolean covers(long showMillis, long wallMillis) {
            long moment = at != null ? Instant.parse(at).toEpochMilli() : atSeconds * 1000L;
            long now = at != null ? wallMillis : showMillis;
            return now >= moment - minutes * 60_000L && now < moment;
        }
    }

    /** True when any change may wait. */
    public boolean any() {
        return variantAbovePercent != null || unkill || disarm || beforeDrop != null;
    }
}
