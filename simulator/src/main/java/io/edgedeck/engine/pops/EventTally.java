package io.edgedeck.engine.pops;

import io.edgedeck.client.model.EventCounts;

/**
 * Audience events as their producers count them: every action a viewer took (a view, a click, a
 * chat message, a checkout; an ingested observation on a live node), delivered or lost on the way.
 * Owned by the engine thread.
 */
public final class EventTally {
    private long delivered;
    private long lost;

    public void delivered() {
        delivered++;
    }

    public void lost() {
        lost++;
    }

    public EventCounts counts() {
        return new EventCounts(delivered + lost, delivered, lost);
    }
}
