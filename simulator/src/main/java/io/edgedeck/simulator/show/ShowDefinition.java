package io.edgedeck.simulator.show;

import io.edgedeck.engine.EngineConfig;
import io.edgedeck.simulator.traffic.TrafficProfile;

import java.util.List;

/**
 * A show ready to play: the engine's setup, the audience, and the timeline of cues.
 *
 * @param durationSeconds engine seconds the show lasts
 */
public record ShowDefinition(String name, String description, long seed, int durationSeconds,
                             EngineConfig engine, TrafficProfile traffic, List<TimedCue> cues) {
    public ShowDefinition {
        cues = List.copyOf(cues);
        if (durationSeconds <= 0) throw new IllegalArgumentException("durationSeconds must be > 0");
    }
}
