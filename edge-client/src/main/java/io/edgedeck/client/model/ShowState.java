package io.edgedeck.client.model;

/** Where a show is in its life. */
public enum ShowState {
    READY, RUNNING, PAUSED, FINISHED,
    /** The engine stopped on an error; the frame says why ({@link NodeCondition}). Nothing changes any more. */
    FAILED
}
