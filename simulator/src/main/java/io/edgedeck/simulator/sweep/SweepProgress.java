package io.edgedeck.simulator.sweep;

/** Told, from a worker thread, each time one of a sweep's shows finishes. */
@FunctionalInterface
public interface SweepProgress {
    void played(int done, int total);
}
