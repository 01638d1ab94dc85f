package io.edgedeck.client.model;

import java.util.List;

/**
 * What firing a named cue did ({@code POST /api/v1/show/cues/{name}}): the scheduled changes that
 * waited for it, each fired or failed.
 */
public record CueFired(String cue, List<ScheduledChange> fired) {
    public CueFired {
        fired = List.copyOf(fired);
    }
}
