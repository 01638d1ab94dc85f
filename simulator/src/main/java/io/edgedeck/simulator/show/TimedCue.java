package io.edgedeck.simulator.show;

/**
 * Something that happens to a show at a given engine time: a fault, a surge, a shift in mood.
 *
 * @param atMillis engine time at which it applies (at the tick boundary at or after it)
 * @param label    what a producer reads on the timeline, e.g. {@code outage fra for 120 s}
 * @param action   what it does; runs on the engine thread
 */
public record TimedCue(long atMillis, String label, CueAction action) {

    @FunctionalInterface
    public interface CueAction {
        void apply(Show show);
    }
}
