package io.edgedeck.client.model;

/** Where a show is in its life. */
public enum ShowState {
    READY, RUNNING, PAUSED, FINISHED
}
