package io.edgedeck.simulator.show;

/**
 * Something that happens to a show at a given engine time: a fault, a surge, a shift in mood.
 *
 * @param atMillis engine time at which it applies (at the tick boundary at or after it)
 * @param label    what a producer reads on the timeline, e.g. {@code outage fra for 120 s}
 * @param action   what it does; runs on the engine thread
 * @param inForceUntilMillis for the start of a scenario's surge, mood shift or encoder fault, when it
 *                 ends: a rehearsal restarted inside that window starts it again; 0 for anything
 *                 else (a PoP fault is back from its journal records, an end has nothing to resume)
 * @param ended    for the start of a scenario's encoder fault, what a rehearsal restarted after it
 *                 ended puts back (the fault in the encoder's window, where it was); null for anything else
 */
public record TimedCue(long atMillis, String label, CueAction action, long inForceUntilMillis, CueAction ended) {

    public TimedCue(long atMillis, String label, CueAction action) {
        this(atMillis, label, action, 0);
    }

    public TimedCue(long atMillis, String label, CueAction action, long inForceUntilMillis) {
        this(atMillis, label, action, inForceUntilMillis, null);
    }

    @FunctionalInterface
    public interface CueAction {
        void apply(Show show);
    }
}
